import Diagnostics
import Manifest
import YAMLDocument

#if canImport(Glibc)
    import Glibc
#endif

/// `swerex-run debug ...`: hidden commands for measuring and inspecting the loader; help does not list them.
///
/// `debug load-yaml FILE` loads every document of FILE, converts each to a JSON value, and prints
/// `documents: N, nodes: M` (M counts every value, aliases expanded). The benchmark times it.
///
/// `debug time-validate FILE` does what `validate FILE` does (read, load, check, resolve) and prints
/// `{"work": SECONDS, "deployments": N}`: the time of that work alone, measured in the process, as the
/// benchmark measures PyYAML and pydantic after their imports.
enum DebugCommand {
    static let usage = "swerex-run debug load-yaml FILE | swerex-run debug time-validate FILE"

    /// Runs `arguments` (after `debug`) and returns the exit status.
    static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard let command = arguments.first, ["load-yaml", "time-validate"].contains(command) else {
            let problem = arguments.first.map { "Unknown debug command '\($0)'." } ?? "Missing the debug command."
            return usageError(problem)
        }
        guard arguments.count == 2 else {
            return usageError(arguments.count < 2 ? "Missing FILE to load." : "Only one FILE at a time.")
        }
        let colour = Console.standardError.wantsColour(environment: environment)
        if command == "time-validate" { return timeValidate(arguments[1], environment: environment, colour: colour) }
        return loadYAML(arguments[1], colour: colour)
    }

    private static func timeValidate(_ file: String, environment: [String: String], colour: Bool) -> Int32 {
        let started = ContinuousClock.now
        let loaded: LoadedManifest
        do {
            loaded = try ManifestLoader.load(ManifestOptions(files: [file], environment: environment))
        } catch {
            Console.standardError.write(error.renderer(colour: colour).render(error.diagnostics))
            return ExitStatus.failure
        }
        let work = ContinuousClock.now - started
        let seconds = Double(work.components.seconds) + Double(work.components.attoseconds) / 1e18
        Console.standardOutput.write("{\"work\": \(seconds), \"deployments\": \(loaded.project.deployments.count)}\n")
        return ExitStatus.success
    }

    private static func loadYAML(_ file: String, colour: Bool) -> Int32 {
        let text: String
        switch FileText.read(file) {
        case .success(let read): text = read
        case .failure(let problem):
            Console.standardError.write(DiagnosticRenderer(colour: colour).render(.error(problem.message)))
            return ExitStatus.failure
        }
        do throws(Diagnostic) {
            // The default bound on alias copies (a guard against exponential "billion laughs" input) is
            // lower than what large generated files legitimately hold; one copied node per input byte
            // still keeps the expansion linear in the input.
            var limits = YAMLLimits()
            limits.maxAliasExpansion = max(limits.maxAliasExpansion, text.utf8.count)
            let documents = try YAMLLoader.load(text, file: file, limits: limits)
            var nodes = 0
            for document in documents {
                guard let document else {
                    nodes += 1
                    continue
                }
                nodes += count(try document.json())
            }
            Console.standardOutput.write("documents: \(documents.count), nodes: \(nodes)\n")
            return ExitStatus.success
        } catch {
            let renderer = DiagnosticRenderer(sources: [SourceFile(name: file, text: text)], colour: colour)
            Console.standardError.write(renderer.render(error))
            return ExitStatus.failure
        }
    }

    /// Every value in `value`, itself included; object keys are not counted.
    private static func count(_ value: JSONValue) -> Int {
        switch value {
        case .array(let items): items.reduce(1) { $0 + count($1) }
        case .object(let members): members.reduce(1) { $0 + count($1.1) }
        default: 1
        }
    }

    private static func usageError(_ message: String) -> Int32 {
        Console.standardError.write("Error: \(message)\nUsage: \(usage)\n")
        return ExitStatus.usage
    }
}

/// A whole file read as UTF-8 text with plain system calls.
enum FileText {
    struct Problem: Error {
        var message: String
    }

    static func read(_ path: String) -> Result<String, Problem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(Problem(message: "cannot read \(path): \(String(cString: strerror(errno)))"))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_size > 0 { bytes.reserveCapacity(Int(info.st_size)) }
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                return .failure(Problem(message: "cannot read \(path): \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Problem(message: "\(path) is not UTF-8 text"))
        }
        return .success(text)
    }
}
