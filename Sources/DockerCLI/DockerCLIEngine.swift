public import ContainerEngine
internal import Foundation

/// The cli engine: drives the `docker` or `podman` program found on PATH.
///
/// Every call runs the program once (a few run two or three) without a terminal and with stdin from
/// /dev/null, except builds, which get the Dockerfile on stdin. Failures become `EngineError`s by the
/// phrases the CLIs print (see `CLIFailure`).
public final class DockerCLIEngine: ContainerEngine {
    public let identity: EngineIdentity
    let launcher: CommandLauncher
    let timeouts: Timeouts

    /// How long each kind of call may take, in seconds.
    struct Timeouts: Sendable {
        var query: Double = 60
        var run: Double = 300
        var stopSlack: Double = 60
        var pull: Double = 3600
        var build: Double = 3600
    }

    /// Finds the program on PATH.
    /// - Parameters:
    ///   - runtime: `docker` or `podman`.
    ///   - environment: added to the process environment for every call (endpoint, TLS, docker_env).
    /// - Throws: `EngineError.Code.programNotFound` when the program is not on PATH.
    public convenience init(runtime: String, environment: [String: String] = [:]) throws(EngineError) {
        try self.init(runtime: runtime, environment: environment, timeouts: Timeouts())
    }

    init(runtime: String, environment: [String: String], timeouts: Timeouts) throws(EngineError) {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        guard let executable = ProgramLookup.find(runtime, path: merged["PATH"]) else {
            throw EngineError(
                .programNotFound,
                "`\(runtime)` was not found on PATH (\(merged["PATH"] ?? "unset"))",
                hint: "install the \(runtime) CLI, or use `engine: sdk` to talk to the Docker daemon without a CLI"
            )
        }
        let name = URL(fileURLWithPath: runtime).lastPathComponent
        self.identity = EngineIdentity(
            kind: .cli,
            runtime: name,
            endpoint: merged[name == "podman" ? "CONTAINER_HOST" : "DOCKER_HOST"] ?? "default"
        )
        self.launcher = CommandLauncher(executable: executable, environment: merged)
        self.timeouts = timeouts
    }

    var isPodman: Bool { identity.runtime == "podman" }

    public func version() async throws(EngineError) -> EngineVersion {
        let output = try await launcher.run(["version", "--format", "{{json .}}"], timeout: timeouts.query)
        guard output.succeeded else {
            throw failure("version").error(status: output.status, stderr: output.stderr)
        }
        let objects = try InspectOutput.objects(in: output.stdout, runtime: identity.runtime)
        guard let version = objects.first.flatMap(InspectOutput.version(from:)) else {
            throw EngineError(
                .protocolError,
                "`\(identity.runtime) version` printed no engine version: \(output.stdout.prefix(200))"
            )
        }
        return version
    }

    /// What a failed call was about, for its error message.
    func failure(_ action: String, container: String? = nil, image: String? = nil) -> CLIFailure {
        CLIFailure(runtime: identity.runtime, action: action, subject: .init(container: container, image: image))
    }
}
