/// Where a sandbox is reached: `{docker_internal_host}:{host port}`, as SWE-ReX builds it.
public struct LivenessURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// Without brackets for IPv6.
    public var host: String
    public var port: Int

    /// - Parameters:
    ///   - internalHost: the manifest's normalised `docker_internal_host`, such as `http://127.0.0.1`.
    ///   - port: the host port the engine published.
    public init(internalHost: String, port: Int) {
        self.scheme = internalHost.hasPrefix("https://") ? "https" : "http"
        self.host = Self.host(of: internalHost)
        self.port = port
    }

    /// `http://127.0.0.1:32768`, the base URL users and pipelines get.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(port)"
    }

    public var usesTLS: Bool { scheme == "https" }

    /// The host part of a `scheme://host[:port]` string, brackets removed.
    static func host(of internalHost: String) -> String {
        var rest = Substring(internalHost)
        if let schemeEnd = rest.firstRange(of: "://") { rest = rest[schemeEnd.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
        if let colon = rest.lastIndex(of: ":"), rest.filter({ $0 == ":" }).count == 1 {
            return String(rest[..<colon])
        }
        return String(rest)
    }

    static func isLoopback(host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

extension LivenessURL {
    /// Reads back a URL this type wrote (`http://127.0.0.1:32768`).
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            return nil
        }
        self.init(internalHost: String(text[..<colon]), port: port)
    }
}
