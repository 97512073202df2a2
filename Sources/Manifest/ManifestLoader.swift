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
            throw ManifestError(diagnostics: DiagnosticList(ordered), sources: session.sources)
        }
        var loaded = project
        loaded.warnings = ordered
        return LoadedManifest(project: loaded, sources: session.sources)
    }
}

/// The state of one `load` call.
private struct LoadSession {
    let options: ManifestOptions
    var sources: [SourceFile] = []
    var diagnostics: [Diagnostic] = []
    /// Failed substitutions, kept apart so that `unresolved` filters only what follows from them.
    var interpolationDiagnostics: [Diagnostic] = []
    /// Scalars whose substitution failed: other problems reported at them are consequences.
    var unresolved: Set<SourceLocation> = []
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
        let resolver = DeploymentResolver(environment: options.environment, homeDirectory: options.homeDirectory)
        let resolved = read.entries.compactMap { entry in
            resolver.resolve(entry, into: &diagnostics).map { (entry, $0) }
        }
        PortRule.check(resolved, into: &diagnostics)
        let deployments = resolved.map(\.1)
        return Project(name: projectName(read), files: options.files, deployments: deployments, warnings: [])
    }

    /// Diagnostics without repeats (a `defaults:` problem shows once, not once per deployment), in
    /// the order of the files given, then by position; those without a position last.
    func orderedDiagnostics() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        let consequences = diagnostics.filter { diagnostic in diagnostic.location.map(unresolved.contains) ?? false }
        let all = interpolationDiagnostics + diagnostics.filter { !consequences.contains($0) }
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
                diagnostics.append(.error("\(what) \(file) is not UTF-8 text"))
                return nil
            }
            sources.append(SourceFile(name: file, text: text))
            return text
        } catch {
            let reason = FileManager.default.fileExists(atPath: file) ? "it cannot be read" : "it does not exist"
            diagnostics.append(.error("cannot read \(what) \(file): \(reason)"))
            return nil
        }
    }

    private mutating func readEnvFiles() -> [String: String] {
        var variables: [String: String] = [:]
        for file in options.envFiles {
            guard let text = readText(file, what: "env file") else { continue }
            let parsed = EnvFile.parse(text, file: file)
            diagnostics += parsed.diagnostics
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
        return interpolation.apply(document, into: &interpolationDiagnostics, unresolved: &unresolved)
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
