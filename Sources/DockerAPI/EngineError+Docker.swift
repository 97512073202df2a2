import ContainerEngine
import Foundation
import HTTPTransport

extension EngineError {
    /// A request that got no answer from the daemon, with what to check for this kind of endpoint.
    init(_ error: HTTPError, endpoint: DockerEndpoint) {
        let message = Self.describe(error, endpoint: endpoint)
        switch error.code {
        case .cannotConnect:
            self.init(.cannotConnect, message, hint: Self.cannotConnectHint(endpoint))
        case .permissionDenied:
            self.init(
                .permissionDenied, message,
                hint: "add this user to the socket's group (usually docker) or use a TCP endpoint")
        case .tlsFailure:
            self.init(
                .tlsFailure, message,
                hint: "check docker_cert_path: its ca.pem must be the CA that signed the daemon's certificate, "
                    + "with cert.pem and key.pem for this client; and docker_tls only for a TLS port")
        case .timeout:
            self.init(
                .timeout, message,
                hint: "the daemon did not answer in time: check that docker_endpoint points at a Docker daemon")
        case .protocolError:
            self.init(.protocolError, message, hint: Self.protocolHint(endpoint))
        case .cancelled:
            self.init(.engineError, message)
        }
    }

    /// ssh could not open the forward to the remote daemon's socket.
    init(sshFailure error: HTTPError, endpoint: DockerEndpoint, remoteSocket: String) {
        guard error.code != .cancelled else {
            self.init(.engineError, error.message)
            return
        }
        self.init(
            .sshFailure, error.message,
            hint: "ssh runs without a terminal (BatchMode), so it cannot ask for a password or a passphrase: "
                + "use a key (IdentityFile in SWEREX_SSH_CONFIG or ~/.ssh/config) or an ssh agent, accept the "
                + "host key beforehand (known_hosts), and check that dockerd runs on the remote host with its "
                + "socket at \(remoteSocket)")
    }

    /// The daemon answered with an error status; `action` says what was being done, such as
    /// `creating container 'x'`.
    init(
        _ response: HTTPResponse, _ action: String, endpoint: DockerEndpoint, code: Code = .engineError,
        hint: String? = nil
    ) {
        self.init(
            code, "\(action) failed on \(endpoint.displayString): \(response.daemonMessage)", hint: hint,
            status: response.status)
    }

    private static func describe(_ error: HTTPError, endpoint: DockerEndpoint) -> String {
        guard case .ssh(_, _, _, let socketPath) = endpoint else { return error.message }
        // The transport names the local end of the forward, which means nothing to the user.
        let remote = socketPath ?? DockerEndpoint.defaultSocketPath
        return "Docker daemon at \(endpoint.displayString) (remote socket \(remote)): \(error.message)"
    }

    private static func cannotConnectHint(_ endpoint: DockerEndpoint) -> String {
        switch endpoint {
        case .unix(let path):
            return "is dockerd running? check docker_endpoint, or mount the daemon's socket into this container "
                + "(-v \(path):\(path))"
        case .tcp:
            return "is dockerd running and listening there? check docker_endpoint (host and port)"
        case .ssh:
            return "the ssh forward is up but nothing answers on the remote socket: is dockerd running on the "
                + "remote host, and is the socket path in docker_endpoint right?"
        }
    }

    /// What to check when the endpoint answered something that is not the Docker API.
    static func protocolHint(_ endpoint: DockerEndpoint) -> String {
        switch endpoint {
        case .tcp(_, _, nil):
            return "check that docker_endpoint points at a Docker daemon; a TLS port needs docker_tls: true"
        case .ssh(_, _, _, let socketPath):
            return "the remote socket \(socketPath ?? DockerEndpoint.defaultSocketPath) did not answer: is dockerd "
                + "running on the remote host, and may the ssh user open its socket?"
        default:
            return "check that docker_endpoint points at a Docker daemon"
        }
    }
}

extension HTTPResponse {
    /// The daemon's own error text: the `message` of its JSON error body, else the body as text.
    var daemonMessage: String {
        if let decoded = try? APIJSON.decode(ErrorResponse.self, from: body) { return decoded.message }
        let text = bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(status)" : text
    }
}
