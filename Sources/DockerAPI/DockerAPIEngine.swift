public import ContainerEngine
import HTTPTransport

/// The sdk engine: speaks the Docker Engine HTTP API over a unix socket, TCP (with TLS) or SSH, with no
/// docker CLI needed.
///
/// Nothing connects until the first call, which agrees on an API version with the daemon (the lower of
/// its version and 1.45, refusing one below 1.24); every later call uses versioned paths such as
/// `/v1.41/containers/json`. An ssh endpoint is reached through one `ssh -N -L` unix-socket forward to
/// the remote daemon's socket (`socketPath`, else `/var/run/docker.sock`), opened on first use, shared by
/// all calls and closed when the engine goes away; see `DockerConnection` for why a forward rather than
/// `docker system dial-stdio`.
///
/// Quick calls (ping, inspect, list) time out after 30 seconds, container changes after two minutes,
/// and pull and build streams never, since a large image takes as long as it takes.
public final class DockerAPIEngine: ContainerEngine {
    public let identity: EngineIdentity
    let connection: DockerConnection
    var endpoint: DockerEndpoint { connection.endpoint }

    /// Limits on calls by kind.
    enum Timeout {
        static let quick: Duration = .seconds(30)
        static let change: Duration = .seconds(120)
    }

    /// Prepares a client for `endpoint`; no connection is made until the first call.
    /// - Parameters:
    ///   - endpoint: where the daemon is.
    ///   - sshConfigFile: an ssh_config passed to ssh as `-F` for ssh endpoints (from `SWEREX_SSH_CONFIG`).
    public init(endpoint: DockerEndpoint, sshConfigFile: String? = nil) {
        self.identity = EngineIdentity(kind: .sdk, runtime: "docker", endpoint: endpoint.displayString)
        self.connection = DockerConnection(endpoint: endpoint, sshConfigFile: sshConfigFile)
    }

    public func version() async throws(EngineError) -> EngineVersion {
        let apiVersion = try await connection.apiVersion()
        let response = try await connection.send("GET", "/version", timeout: Timeout.quick)
        guard response.status == 200 else { throw EngineError(response, "reading the version", endpoint: endpoint) }
        let version = try decode(VersionResponse.self, response, "the version")
        return EngineVersion(
            version: version.version, apiVersion: apiVersion.description, os: version.os,
            architecture: version.architecture)
    }

    /// The local end of the ssh forward while one is open.
    var tunnelSocketPath: String? {
        get async { await connection.tunnelSocketPath }
    }

    /// Decodes a successful response's body, or says the daemon answered something unreadable.
    func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse, _ what: String) throws(EngineError)
        -> Value
    {
        do {
            return try APIJSON.decode(type, from: response.body)
        } catch {
            throw EngineError(
                .protocolError, "could not read \(what) from \(endpoint.displayString): \(error)",
                hint: "check that docker_endpoint points at a Docker daemon", status: response.status)
        }
    }
}
