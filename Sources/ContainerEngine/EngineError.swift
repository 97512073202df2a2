/// A failed engine call: what went wrong, in words that say what to do about it.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Nothing answered at the endpoint (no socket, connection refused, host unreachable).
        case cannotConnect
        /// The socket exists but this user may not open it.
        case permissionDenied
        /// The TLS handshake failed: wrong CA, bad client certificate, not a TLS server.
        case tlsFailure
        /// SSH could not reach the host or run the remote command.
        case sshFailure
        /// The CLI program (docker or podman) is not on PATH.
        case programNotFound
        case noSuchImage
        case noSuchContainer
        /// A container with that name already exists.
        case nameInUse
        /// The host port is taken.
        case portAllocated
        /// A `docker_args` flag the engine cannot honour.
        case invalidArgument
        /// A call took longer than its timeout.
        case timeout
        /// The engine answered with something we could not read.
        case protocolError
        /// Any other error the engine reported, with its message.
        case engineError
    }

    public var code: Code
    /// What happened, with the endpoint, image, container or port it concerns.
    public var message: String
    /// What to do about it, when there is something to say.
    public var hint: String?
    /// The HTTP status (sdk) or exit status (cli), when there was one.
    public var status: Int?

    public init(_ code: Code, _ message: String, hint: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.status = status
    }

    public var description: String {
        guard let hint else { return message }
        return "\(message)\nhint: \(hint)"
    }
}
