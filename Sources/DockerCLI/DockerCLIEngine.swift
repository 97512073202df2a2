public import ContainerEngine

/// The cli engine: drives the `docker` or `podman` program found on PATH.
public final class DockerCLIEngine: ContainerEngine {
    public let identity: EngineIdentity

    /// Finds the program on PATH.
    /// - Parameters:
    ///   - runtime: `docker` or `podman`.
    ///   - environment: added to the process environment for every call (endpoint, TLS, docker_env).
    /// - Throws: `EngineError.Code.programNotFound` when the program is not on PATH.
    public init(runtime: String, environment: [String: String] = [:]) throws(EngineError) {
        self.identity = EngineIdentity(
            kind: .cli,
            runtime: runtime,
            endpoint: environment["DOCKER_HOST"] ?? environment["CONTAINER_HOST"] ?? "default"
        )
    }

    public func version() async throws(EngineError) -> EngineVersion { throw Self.unbuilt }

    public func inspectImage(_ reference: String) async throws(EngineError) -> ImageInfo? { throw Self.unbuilt }

    public func pullImage(
        _ reference: String,
        platform: String?,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) { throw Self.unbuilt }

    public func buildImage(
        _ request: BuildRequest,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) -> String { throw Self.unbuilt }

    public func runContainer(_ spec: ContainerSpec) async throws(EngineError) -> String { throw Self.unbuilt }

    public func inspectContainer(_ idOrName: String) async throws(EngineError) -> ContainerInfo? { throw Self.unbuilt }

    public func listContainers(labels: [String: String?]) async throws(EngineError) -> [ContainerInfo] {
        throw Self.unbuilt
    }

    public func logs(_ idOrName: String, tail: Int?) async throws(EngineError) -> ContainerLogs { throw Self.unbuilt }

    public func stopContainer(_ idOrName: String, grace: Int) async throws(EngineError) { throw Self.unbuilt }

    public func killContainer(_ idOrName: String, signal: String?) async throws(EngineError) { throw Self.unbuilt }

    public func removeContainer(_ idOrName: String) async throws(EngineError) { throw Self.unbuilt }

    public func removeImage(_ reference: String, force: Bool) async throws(EngineError) { throw Self.unbuilt }

    private static let unbuilt = EngineError(.engineError, "not built yet")
}
