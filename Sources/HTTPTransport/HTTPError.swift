/// A request that got no HTTP response: nothing to connect to, a failed handshake, a timeout.
/// An HTTP error status is not an `HTTPError`; it comes back as an ``HTTPResponse``.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Nothing answered: no socket file, connection refused, unknown host, ssh could not forward.
        case cannotConnect
        /// The socket exists but this user may not open it.
        case permissionDenied
        /// The TLS handshake failed: untrusted or mismatched certificate, bad client key, not a TLS server.
        case tlsFailure
        /// Connecting or the whole request took longer than allowed.
        case timeout
        /// The peer's answer was not HTTP we could read, or the connection broke mid-answer.
        case protocolError
        /// The calling task was cancelled; the transfer was abandoned.
        case cancelled
    }

    public var code: Code
    /// What happened, naming the target, such as
    /// `cannot connect to unix:///var/run/docker.sock: No such file or directory`.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
