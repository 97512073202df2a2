public import ContainerEngine

/// The sdk engine: speaks the Docker Engine HTTP API over a unix socket, TCP (with TLS) or SSH.
public final class DockerAPIEngine: ContainerEngine {
    public let identity: EngineIdentity

    /// Prepares a client for `endpoint`; no connection is made until the first call.
    /// - Parameters:
    ///   - endpoint: where the daemon is.
    ///   - sshConfigFile: an ssh_config passed to ssh as `-F` for ssh endpoints (from `SWEREX_SSH_CONFIG`).
    public init(endpoint: DockerEndpoint, sshConfigFile: String? = nil) {
        self.identity = EngineIdentity(kind: .sdk, runtime: "docker", endpoint: endpoint.displayString)
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
