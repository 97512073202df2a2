import ContainerEngine
import Diagnostics
import Foundation
import Manifest
import Runner

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one parsed command and turns its outcome into an exit status. Results go to stdout, the
/// operator's log and every error to stderr.
struct CommandRunner {
    var invocation: Invocation
    var environment: [String: String]
    let log: RunnerLog

    /// Manifest names looked for in the current folder when no file is given.
    static let defaultFiles = ["swerex-run.yaml", "swerex-run.yml"]

    init(invocation: Invocation, environment: [String: String]) {
        self.invocation = invocation
        self.environment = environment
        let level: RunnerLog.Level =
            switch invocation.verbosity {
            case .quiet: .quiet
            case .normal: .normal
            case .verbose: .verbose
            }
        self.log = RunnerLog(level: level) { Console.standardError.write($0) }
    }

    func run() async -> Int32 {
        var trap: SignalTrap?
        if invocation.command != .up && invocation.command != .down {
            // No teardown to do: leave at once, but through exit(), whose handlers close ssh tunnels.
            trap = SignalTrap.install { _ in }
            trap?.onFirstSignal { number in exit(128 + number) }
        }
        defer { withExtendedLifetime(trap) {} }
        do {
            switch invocation.command {
            case .up: return try await up()
            case .down: return try await down()
            case .plan: return try await plan()
            case .status: return try await status()
            case .exec: return try await exec()
            case .logs: return try await logs()
            case .validate: return validate()
            case .config: return try config()
            }
        } catch let error as UsageError {
            Console.standardError.write(HelpText.usageError(error))
            return ExitStatus.usage
        } catch let error as ManifestLoadFailed {
            return error.status
        } catch {
            report(error)
            return ExitStatus.failure
        }
    }

    var wantsJSON: Bool { invocation.output == "json" }

    func report(_ error: any Error) {
        let text =
            switch error {
            case let error as RunnerError: error.description
            case let error as EngineError: error.description
            case let error as LifecycleError: error.description
            default: "\(error)"
            }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.first.map(String.init) ?? ""
        let rest = lines.dropFirst().map { $0.hasPrefix("hint:") ? String($0) : "  " + $0 }
        log.error(([first] + rest).joined(separator: "\n"))
    }

    // MARK: manifests

    /// The files to load: those given, else `swerex-run.yaml` in the current folder.
    func manifestFiles() throws(UsageError) -> [String] {
        if !invocation.files.isEmpty { return invocation.files }
        for name in Self.defaultFiles where FileManager.default.fileExists(atPath: name) {
            return [name]
        }
        throw UsageError(
            "No manifest given: pass FILE or -f FILE, or put \(Self.defaultFiles[0]) in this folder.",
            command: invocation.command)
    }

    /// Loads and validates the manifest; its warnings go to stderr, its errors end the command.
    func loadManifest(files: [String]? = nil) throws -> LoadedManifest {
        let options = ManifestOptions(
            files: try files ?? manifestFiles(),
            envFiles: invocation.envFiles,
            environment: environment,
            projectName: invocation.projectName)
        let colour = Console.standardError.wantsColour(environment: environment)
        let unreadable =
            options.files.compactMap { file in InputFile.problem(file).map { "cannot read manifest \(file): \($0)" } }
            + options.envFiles.compactMap { file in
                InputFile.problem(file).map { "cannot read env file \(file): \($0)" }
            }
        guard unreadable.isEmpty else {
            let diagnostics = unreadable.map { Diagnostic.error($0) }
            Console.standardError.write(
                DiagnosticRenderer(sources: [], colour: colour).render(DiagnosticList(diagnostics)))
            throw ManifestLoadFailed(status: ExitStatus.failure, diagnostics: diagnostics)
        }
        do {
            let loaded = try ManifestLoader.load(options)
            if log.level >= .normal && !loaded.project.warnings.isEmpty {
                let renderer = loaded.renderer(colour: colour)
                Console.standardError.write(renderer.render(DiagnosticList(loaded.project.warnings)))
            }
            return loaded
        } catch {
            let renderer = error.renderer(colour: colour)
            Console.standardError.write(renderer.render(error.diagnostics))
            let redaction = SecretRedaction(error.secrets)
            let diagnostics = error.diagnostics.diagnostics.map { diagnostic in
                var copy = diagnostic
                copy.message = redaction.apply(to: diagnostic.message)
                return copy
            }
            throw ManifestLoadFailed(status: ExitStatus.failure, diagnostics: diagnostics)
        }
    }

    func settings(files: [String]) -> RunnerSettings {
        let folder = FileManager.default.currentDirectoryPath
        let absolute = files.map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 }
        return RunnerSettings(
            environment: environment,
            log: log,
            state: StateStore(folder: StateStore.defaultFolder(environment: environment)),
            lockFolder: ProjectLock.folder(environment: environment),
            manifestFiles: absolute,
            progressOnTerminal: Console.standardError.isTerminal)
    }

    func makeRunner(_ loaded: LoadedManifest) throws -> Runner {
        try Runner(project: loaded.project, settings: settings(files: loaded.project.files))
    }
}

/// The manifest's diagnostics were already printed; only the status is left to return (and the
/// diagnostics, for `validate --output json`).
struct ManifestLoadFailed: Error {
    var status: Int32
    var diagnostics: [Diagnostic] = []
}
