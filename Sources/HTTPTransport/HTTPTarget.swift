/// Where an ``HTTPClient`` sends its requests.
public enum HTTPTarget: Sendable, Hashable, CustomStringConvertible {
    /// A unix socket at an absolute path; requests carry `Host: localhost`.
    case unixSocket(path: String)
    /// A TCP address; `host` is a name or an IP (IPv6 without brackets). `tls` nil means plain HTTP.
    case tcp(host: String, port: Int, tls: HTTPTLS?)

    /// The target as a URL a user would recognise, such as `unix:///var/run/docker.sock` or
    /// `https://127.0.0.1:2376`.
    public var description: String {
        switch self {
        case .unixSocket(let path):
            return "unix://\(path)"
        case .tcp(let host, let port, let tls):
            return "\(tls == nil ? "http" : "https")://\(Self.bracketed(host)):\(port)"
        }
    }

    /// The URL prefix libcurl sees; a request's path is appended to it.
    var baseURL: String {
        switch self {
        case .unixSocket:
            return "http://localhost"
        case .tcp:
            return description
        }
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// TLS for a TCP target. Certificates and keys are PEM file paths.
public struct HTTPTLS: Sendable, Hashable {
    /// Whether to check the server's certificate chain (against `caFile`, or the system store when nil)
    /// and that it names the host.
    public var verify: Bool
    /// The CA bundle that signed the server's certificate.
    public var caFile: String?
    /// The client certificate to present, when the server asks for one.
    public var certFile: String?
    /// The private key of `certFile`.
    public var keyFile: String?

    public init(verify: Bool = true, caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.verify = verify
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}
