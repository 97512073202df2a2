/// A resolved Docker daemon address. The Manifest module parses and validates endpoint strings into
/// this; the engines only connect to it.
public enum DockerEndpoint: Sendable, Hashable {
    /// An absolute path to a unix socket.
    case unix(path: String)
    /// A TCP address; `host` is a name or an IP (IPv6 without brackets). `tls` nil means plain HTTP.
    case tcp(host: String, port: Int, tls: TLSSettings?)
    /// An SSH destination; the sdk engine forwards a local socket to the remote daemon socket (`ssh -L`).
    /// `socketPath` is the remote daemon socket from the URL path, when one was given.
    case ssh(user: String?, host: String, port: Int?, socketPath: String?)

    public static let defaultSocketPath = "/var/run/docker.sock"

    /// The endpoint as a URL a user would write, such as `tcp://127.0.0.1:2376`.
    public var displayString: String {
        switch self {
        case .unix(let path):
            return "unix://\(path)"
        case .tcp(let host, let port, _):
            return "tcp://\(Self.bracketed(host)):\(port)"
        case .ssh(let user, let host, let port, let socketPath):
            let userPart = user.map { "\($0)@" } ?? ""
            let portPart = port.map { ":\($0)" } ?? ""
            return "ssh://\(userPart)\(Self.bracketed(host))\(portPart)\(socketPath ?? "")"
        }
    }

    /// The host on which published ports are reached: nil for a local socket, else the remote host.
    public var remoteHost: String? {
        switch self {
        case .unix: return nil
        case .tcp(let host, _, _), .ssh(_, let host, _, _): return host
        }
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// TLS for a TCP endpoint. Certificates are file paths; verification against `caFile` is on when `verify`.
public struct TLSSettings: Sendable, Hashable {
    public var verify: Bool
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    public init(verify: Bool, caFile: String?, certFile: String?, keyFile: String?) {
        self.verify = verify
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}
