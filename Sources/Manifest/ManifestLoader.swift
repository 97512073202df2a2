import Diagnostics
import Foundation
import YAMLDocument

/// Reads manifest files into a validated `Project`: env files, YAML, interpolation, merge, shapes,
/// fields, engines and endpoints, collecting every problem on the way.
public enum ManifestLoader {
    /// Loads, merges and validates `options.files`.
    /// - Throws: every problem found (warnings included), in file order, when any is an error.
    public static func load(_ options: ManifestOptions) throws(ManifestError) -> LoadedManifest {
        var session = LoadSession(options: options)
        let project = session.run()
        let ordered = session.orderedDiagnostics()
        guard let project, !DiagnosticList(ordered).hasErrors else {
            throw ManifestError(
                diagnostics: DiagnosticList(ordered), sources: session.sources, secrets: session.secrets)
        }
        var loaded = project
        loaded.warnings = ordered
        return LoadedManifest(project: loaded, sources: session.sources, secrets: session.secrets)
    }
}

/// The state of one `load` call.
private struct LoadSession {
    let options: ManifestOptions
    var sources: [SourceFile] = []
    /// Secret values seen in the files (see `SecretRule`), never to be quoted in a diagnostic.
    var secrets: Set<String> = []
    var diagnostics: [Diagnostic] = []
    /// Failed substitutions, kept apart so that `unresolved` filters only what follows from them.
    var interpolationDiagnostics: [Diagnostic] = []
    /// Scalars whose substitution failed: other problems reported at them are consequences.
    var unresolved: Set<SourceLocation> = []
    /// Scalars that substitution left empty, with a note that says which variables did it.
    var emptied: [SourceLocation: Diagnostic] = [:]
    /// A manifest that could not be read or parsed: validating the rest would mislead.
    var unusableFile = false

    init(options: ManifestOptions) {
        self.options = options
    }

    mutating func run() -> Project? {
        guard !options.files.isEmpty else {
            diagnostics.append(.error("no manifest file given"))
            return nil
        }
        let variables = readEnvFiles().merging(options.environment) { _, process in process }
        var merged: YAMLNode?
        for file in options.files {
            guard let tree = readManifest(file, variables: variables) else { continue }
            merged = merged.map { TreeMerge.merge($0, tree) } ?? tree
        }
        guard !unusableFile else { return nil }
        guard let merged else {
            let first = options.files[0]
            diagnostics.append(.error("the manifest is empty", at: SourceLocation(file: first, line: 1, column: 1)))
            return nil
        }
        let folderOfFile: @Sendable (String) -> String = { Self.folder(of: $0) }
        let reader = ProjectReader(singleName: singleDeploymentName, folderOfFile: folderOfFile)
        let read = reader.read(merged, into: &diagnostics)
        var resolver = DeploymentResolver(environment: options.environment, homeDirectory: options.homeDirectory)
        // Entries and their resolutions side by side, in two arrays (an array of pairs is destroyed
        // element by element through the runtime's generic tuple code).
        var entries: [DeploymentEntry] = []
        var deployments: [ResolvedDeployment] = []
        for entry in read.entries {
            guard let deployment = resolver.resolve(entry, into: &diagnostics) else { continue }
            entries.append(entry)
            deployments.append(deployment)
        }
        PortRule.check(entries, deployments, into: &diagnostics)
        return Project(name: projectName(read), files: options.files, deployments: deployments, warnings: [])
    }

    /// Diagnostics without repeats (a `defaults:` problem shows once, not once per deployment), in
    /// the order of the files given, then by position; those without a position last.
    func orderedDiagnostics() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        let consequences = diagnostics.filter { diagnostic in diagnostic.location.map(unresolved.contains) ?? false }
        let explained = diagnostics.filter { !consequences.contains($0) }.map { diagnostic in
            guard let location = diagnostic.location, let note = emptied[location] else { return diagnostic }
            var copy = diagnostic
            copy.notes.append(note)
            return copy
        }
        let all = interpolationDiagnostics + explained
        let unique = all.filter { seen.insert($0).inserted }
        let fileOrder = Dictionary(
            (options.files + options.envFiles).enumerated().map { ($1, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let key = { (diagnostic: Diagnostic) -> (Int, Int, Int) in
            guard let location = diagnostic.location else { return (Int.max, 0, 0) }
            return (fileOrder[location.file] ?? Int.max - 1, location.line, location.column)
        }
        return unique.enumerated().sorted { lhs, rhs in
            let (a, b) = (key(lhs.element), key(rhs.element))
            return a != b ? a < b : lhs.offset < rhs.offset
        }.map(\.element)
    }

    // MARK: - Files

    private mutating func readText(_ file: String, what: String) -> String? {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            guard let text = String(data: data, encoding: .utf8) else {
                // Quoted with the bad bytes shown as U+FFFD, so the caret has a line to point into.
                sources.append(SourceFile(name: file, text: String(decoding: data, as: UTF8.self)))
                let (location, byte) = Self.firstInvalidByte(in: data, file: file)
                let shown = byte.map { " (byte 0x" + String($0, radix: 16, uppercase: true) + ")" } ?? ""
                diagnostics.append(.error("the \(what) is not UTF-8 text\(shown); save it as UTF-8", at: location))
                return nil
            }
            sources.append(SourceFile(name: file, text: text))
            SecretRule.scan(text, into: &secrets)
            return text
        } catch {
            let reason = FileManager.default.fileExists(atPath: file) ? "it cannot be read" : "it does not exist"
            diagnostics.append(.error("cannot read \(what) \(file): \(reason)"))
            return nil
        }
    }

    /// Where the first byte that is not UTF-8 sits (columns count characters, as YAML's do), and its value.
    private static func firstInvalidByte(in data: Data, file: String) -> (SourceLocation, UInt8?) {
        var (line, column, offset) = (1, 1, 0)
        var previous: Unicode.Scalar?
        var bytes = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                offset += encoded.count
                if scalar == "\r" || (scalar == "\n" && previous != "\r") {
                    (line, column) = (line + 1, 1)
                } else if scalar != "\n" {
                    column += 1
                }
                previous = scalar
            case .error:
                let byte = offset < data.count ? data[data.startIndex + offset] : nil
                return (SourceLocation(file: file, line: line, column: column), byte)
            case .emptyInput:
                return (SourceLocation(file: file, line: line, column: column), nil)
            }
        }
    }

    private mutating func readEnvFiles() -> [String: String] {
        var variables: [String: String] = [:]
        for file in options.envFiles {
            guard let text = readText(file, what: "env file") else { continue }
            let parsed = EnvFile.parse(text, file: file)
            diagnostics += parsed.diagnostics
            for (name, value) in parsed.values where SecretRule.looksSecret(name) {
                SecretRule.insert(Substring(value), into: &secrets)
            }
            variables.merge(parsed.values) { _, later in later }
        }
        return variables
    }

    /// The file's one document, interpolated; nil when it is empty or has errors.
    private mutating func readManifest(_ file: String, variables: [String: String]) -> YAMLNode? {
        guard let text = readText(file, what: "manifest") else {
            unusableFile = true
            return nil
        }
        let documents: [YAMLNode?]
        do {
            documents = try YAMLLoader.load(text, file: file)
        } catch {
            diagnostics.append(error)
            unusableFile = true
            return nil
        }
        let present = documents.compactMap { $0 }
        if present.count > 1 {
            diagnostics.append(
                .error("a manifest file holds one YAML document; this is the second", at: present[1].location)
            )
            unusableFile = true
            return nil
        }
        guard let document = present.first else { return nil }
        let interpolation = TreeInterpolation(
            interpolator: Interpolator(variables: variables),
            source: sources.last
        )
        let interpolated = interpolation.apply(
            document, into: &interpolationDiagnostics, unresolved: &unresolved, emptied: &emptied)
        SecretRule.collect(from: interpolated, into: &secrets)
        return interpolated
    }

    // MARK: - Names

    private static func folder(of file: String) -> String {
        let absolute = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        return (URL(fileURLWithPath: absolute).standardizedFileURL.path as NSString).deletingLastPathComponent
    }

    /// A single-deployment file's deployment is named after the first file, without its extension.
    private var singleDeploymentName: String {
        let base = ((options.files.first ?? "") as NSString).lastPathComponent
        let stem = (base as NSString).deletingPathExtension
        let kept = stem.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        let name = String(kept.drop { !($0.isLetter || $0.isNumber) }.prefix(DeploymentName.maxLength))
        return name.isEmpty ? "deployment" : name
    }

    private mutating func projectName(_ read: ProjectReader.Result) -> String {
        if let given = options.projectName {
            if let problem = ProjectName.problem(with: given) {
                diagnostics.append(.error("--project-name: \(problem)"))
            }
            return given
        }
        if let name = read.projectName { return name }
        let folderName = (Self.folder(of: options.files[0]) as NSString).lastPathComponent
        let normalised = ProjectName.normalised(folderName)
        return normalised.isEmpty ? "swerex" : normalised
    }
}
