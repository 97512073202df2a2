import ContainerEngine
import HTTPTransport

/// The way to one Docker daemon: the HTTP client for its endpoint, the ssh tunnel for an ssh endpoint,
/// and the API version agreed with the daemon, all set up on the first call and shared by every later one.
///
/// An ssh endpoint is reached through a unix-socket forward (`ssh -N -L local.sock:remote.sock`) rather
/// than one `docker system dial-stdio` process per connection: one ssh login serves every request,
/// concurrent requests share it, the remote side needs only the daemon's socket (not the docker CLI on
/// the non-interactive PATH), and libcurl speaks to the forward as to any local socket. The tunnel is
/// closed when the engine that owns this connection goes away.
actor DockerConnection {
    /// The newest API version this client speaks, and the oldest it accepts.
    static let maximumAPIVersion = APIVersion(major: 1, minor: 45)
    static let minimumAPIVersion = APIVersion(major: 1, minor: 24)

    let endpoint: DockerEndpoint
    private let sshConfigFile: String?
    private var opening: Task<Result<Session, EngineError>, Never>?
    /// The tunnel of the open session, closed when the connection goes away.
    private var tunnel: SSHTunnel?

    /// A working client and what was agreed over it.
    struct Session: Sendable {
        var client: HTTPClient
        var tunnel: SSHTunnel?
        var apiVersion: APIVersion
    }

    init(endpoint: DockerEndpoint, sshConfigFile: String?) {
        self.endpoint = endpoint
        self.sshConfigFile = sshConfigFile
    }

    deinit {
        opening?.cancel()
        if let tunnel { TunnelRegistry.close(tunnel) }
    }

    /// The local end of the ssh forward while one is open, for tests and logs.
    var tunnelSocketPath: String? { tunnel?.localSocketPath }

    /// The agreed API version, such as `1.41`, connecting first if needed.
    func apiVersion() async throws(EngineError) -> APIVersion {
        try await session().apiVersion
    }

    /// Sends a request to the versioned API path (`/v1.41/...`) and returns the response, whatever its status.
    /// - Parameters:
    ///   - onData: when set, the body of a 2xx response goes there as it arrives instead of into the response.
    func send(
        _ method: String,
        _ path: String,
        query: [(String, String?)] = [],
        headers: [(String, String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration?,
        onData: (@Sendable ([UInt8]) -> Void)? = nil
    ) async throws(EngineError) -> HTTPResponse {
        var retried = false
        while true {
            let current = try await session()
            let request = HTTPRequest(
                method: method, path: "/v\(current.apiVersion)" + QueryString.path(path, query),
                headers: headers, body: body, timeout: timeout)
            do {
                if let onData {
                    return try await current.client.stream(request, onData: onData)
                }
                return try await current.client.send(request)
            } catch {
                // A dead ssh forward refuses connections before any request is sent: one fresh tunnel is safe.
                if current.tunnel != nil, error.code == .cannotConnect, !retried {
                    retried = true
                    discard(current)
                    continue
                }
                throw EngineError(error, endpoint: endpoint)
            }
        }
    }

    /// The open session, or a new one; a failed attempt is forgotten so that the next call tries again.
    private func session() async throws(EngineError) -> Session {
        if opening == nil {
            let endpoint = endpoint
            let sshConfigFile = sshConfigFile
            opening = Task { await Self.open(endpoint, sshConfigFile: sshConfigFile) }
        }
        guard let opening else { preconditionFailure("set above") }
        let result = await opening.value
        switch result {
        case .success(let session):
            tunnel = session.tunnel
            return session
        case .failure(let error):
            if self.opening == opening { self.opening = nil }
            throw error
        }
    }

    private func discard(_ session: Session) {
        if let dead = session.tunnel { TunnelRegistry.close(dead) }
        if tunnel === session.tunnel { tunnel = nil }
        opening = nil
    }

    private static func open(_ endpoint: DockerEndpoint, sshConfigFile: String?) async -> Result<Session, EngineError> {
        do throws(EngineError) {
            var tunnel: SSHTunnel?
            let target: HTTPTarget
            switch endpoint {
            case .unix(let path):
                target = .unixSocket(path: path)
            case .tcp(let host, let port, let tls):
                target = .tcp(host: host, port: port, tls: tls.map(HTTPTLS.init))
            case .ssh(let user, let host, let port, let socketPath):
                let remoteSocket = socketPath ?? DockerEndpoint.defaultSocketPath
                do throws(HTTPError) {
                    let opened = try await SSHTunnel.open(
                        user: user, host: host, port: port, remoteSocket: remoteSocket, configFile: sshConfigFile)
                    TunnelRegistry.add(opened)
                    tunnel = opened
                } catch {
                    throw EngineError(sshFailure: error, endpoint: endpoint, remoteSocket: remoteSocket)
                }
                target = .unixSocket(path: tunnel?.localSocketPath ?? "")
            }
            let client = HTTPClient(target: target, connectTimeout: .seconds(10))
            do throws(EngineError) {
                let version = try await negotiate(client, endpoint: endpoint)
                return .success(Session(client: client, tunnel: tunnel, apiVersion: version))
            } catch {
                if let tunnel { TunnelRegistry.close(tunnel) }
                throw error
            }
        } catch {
            return .failure(error)
        }
    }

    /// Asks the daemon which API version it speaks (`GET /_ping`, else `GET /version`) and picks the
    /// lower of its version and ours.
    private static func negotiate(_ client: HTTPClient, endpoint: DockerEndpoint) async throws(EngineError)
        -> APIVersion
    {
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(path: "/_ping", timeout: .seconds(30)))
        } catch {
            throw EngineError(error, endpoint: endpoint)
        }
        var offered = response.header("API-Version").flatMap(APIVersion.init)
        if offered == nil {
            offered = try await versionFromVersionCall(client, endpoint: endpoint)
        }
        guard let offered else {
            throw EngineError(
                .protocolError,
                "\(endpoint.displayString) answered /_ping without an API version (HTTP \(response.status))",
                hint: EngineError.protocolHint(endpoint), status: response.status)
        }
        guard offered >= minimumAPIVersion else {
            throw EngineError(
                .engineError,
                "the Docker daemon at \(endpoint.displayString) speaks API \(offered), older than \(minimumAPIVersion)",
                hint: "upgrade the Docker Engine to 1.12 or newer")
        }
        return min(offered, maximumAPIVersion)
    }

    private static func versionFromVersionCall(
        _ client: HTTPClient, endpoint: DockerEndpoint
    ) async throws(EngineError) -> APIVersion? {
        do {
            let response = try await client.send(HTTPRequest(path: "/version", timeout: .seconds(30)))
            guard response.status == 200 else { return nil }
            return (try? APIJSON.decode(VersionResponse.self, from: response.body)).flatMap {
                APIVersion($0.apiVersion)
            }
        } catch {
            throw EngineError(error, endpoint: endpoint)
        }
    }
}

/// An API version such as `1.41`, ordered numerically.
struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    var major: Int
    var minor: Int

    init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    var description: String { "\(major).\(minor)" }

    static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}

extension HTTPTLS {
    init(_ settings: TLSSettings) {
        self.init(
            verify: settings.verify, caFile: settings.caFile, certFile: settings.certFile, keyFile: settings.keyFile)
    }
}
