import ContainerEngine

/// The syntax of an endpoint string, before TLS and defaults are applied.
///
/// Accepted: `unix:///path` (`unix://` alone is the default socket), a bare absolute path,
/// `tcp://host[:port]`, `http://` (plain) and `https://` (TLS) with the same form, bracketed IPv6
/// (`tcp://[::1]:2375`), and `ssh://[user@]host[:port][/remote/socket]`. Schemes are case-insensitive.
/// Everything else is an error that says why: the CLI's accidents (a bare `host:port`, `unix:/x`),
/// `npipe://`, `fd://`, passwords, queries, fragments, ports outside 1–65535, unbracketed IPv6.
enum EndpointGrammar {
    enum Target: Sendable, Hashable {
        case unix(path: String)
        /// `tls` is true for `https://`, false for `http://`, nil for `tcp://` (TLS from the settings).
        case tcp(host: String, port: Int?, tls: Bool?)
        case ssh(user: String?, host: String, port: Int?, socketPath: String?)
    }

    /// Why an endpoint string is not acceptable, in words that follow the endpoint.
    struct SyntaxError: Error, Sendable, Hashable {
        var reason: String
    }

    /// The longest path a unix socket address holds on Linux (`sun_path` less its terminating NUL).
    static let maxSocketPathBytes = 107

    static func parse(_ text: String) throws(SyntaxError) -> Target {
        guard !text.isEmpty else { throw SyntaxError(reason: "it is empty") }
        guard text.trimmingSpaces() == text else {
            throw SyntaxError(reason: "it has spaces around it")
        }
        guard !text.contains(where: { $0.isWhitespace || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) })
        else {
            throw SyntaxError(reason: "it contains spaces or control characters")
        }
        if text.hasPrefix("/") { return .unix(path: try socketPath(text)) }
        guard let separator = text.range(of: "://") else {
            throw SyntaxError(reason: noSchemeReason(text))
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        let rest = String(text[separator.upperBound...])
        switch scheme {
        case "unix":
            return .unix(path: rest.isEmpty ? DockerEndpointDefaults.socketPath : try socketPath(rest))
        case "tcp", "http", "https":
            let parts = try split(rest)
            guard parts.user == nil else {
                throw SyntaxError(reason: "a user name ('\(parts.user ?? "")@') is only meaningful in ssh:// endpoints")
            }
            guard parts.path.allSatisfy({ $0 == "/" }) else {
                throw SyntaxError(reason: "a path ('\(parts.path)') is not supported: the Engine API is served at /")
            }
            let tls: Bool? = scheme == "tcp" ? nil : scheme == "https"
            return .tcp(host: parts.host, port: parts.port, tls: tls)
        case "ssh":
            let parts = try split(rest)
            if let user = parts.user, user.isEmpty { throw SyntaxError(reason: "the user name before '@' is empty") }
            let remote = parts.path.allSatisfy { $0 == "/" } ? nil : parts.path
            return .ssh(user: parts.user, host: parts.host, port: parts.port, socketPath: remote)
        case "npipe":
            throw SyntaxError(reason: "npipe:// is a Windows named pipe, which Linux does not have")
        case "fd":
            throw SyntaxError(reason: "fd:// is the daemon's socket activation; a client cannot connect to it")
        default:
            throw SyntaxError(
                reason: "the scheme '\(scheme)://' is not one of unix://, tcp://, http://, https://, ssh://")
        }
    }

    private static func noSchemeReason(_ text: String) -> String {
        if text.hasPrefix("unix:") {
            return "it has no '//' after 'unix:': write unix:///path/to/socket"
        }
        if text.hasPrefix("~") || text.hasPrefix(".") {
            return "a socket path must be absolute"
        }
        return "it has no scheme: write tcp://\(text) for TCP, or unix:///path for a socket"
    }

    private static func socketPath(_ path: String) throws(SyntaxError) -> String {
        guard path.hasPrefix("/") else {
            throw SyntaxError(reason: "the socket path '\(path)' is not absolute: write unix:///\(path)")
        }
        guard !path.contains("?") && !path.contains("#") else {
            throw SyntaxError(reason: "a socket path cannot hold a query ('?') or a fragment ('#')")
        }
        guard path.utf8.count <= maxSocketPathBytes else {
            throw SyntaxError(
                reason: "the socket path is \(path.utf8.count) bytes long; Linux allows at most \(maxSocketPathBytes)"
            )
        }
        return path
    }

    private struct Authority {
        var user: String?
        var host: String
        var port: Int?
        var path: String
    }

    /// `[user@]host[:port][/path]`, with queries, fragments and passwords refused.
    private static func split(_ rest: String) throws(SyntaxError) -> Authority {
        if rest.contains("?") { throw SyntaxError(reason: "a query ('?...') is not allowed") }
        if rest.contains("#") { throw SyntaxError(reason: "a fragment ('#...') is not allowed") }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<slash])
        let path = String(rest[slash...])
        var user: String?
        if let at = authority.lastIndex(of: "@") {
            let userInfo = String(authority[..<at])
            if userInfo.contains(":") {
                throw SyntaxError(reason: "a password in the endpoint is not allowed: use an ssh key or agent")
            }
            user = userInfo
            authority = String(authority[authority.index(after: at)...])
        }
        let (host, port) = try hostAndPort(authority)
        return Authority(user: user, host: host, port: port, path: path)
    }

    private static func hostAndPort(_ authority: String) throws(SyntaxError) -> (String, Int?) {
        guard !authority.isEmpty else { throw SyntaxError(reason: "it has no host") }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw SyntaxError(reason: "the '[' before the IPv6 address is not closed")
            }
            let address = String(authority[authority.index(after: authority.startIndex)..<close])
            guard address.contains(":"), address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw SyntaxError(reason: "'[\(address)]' is not an IPv6 address")
            }
            let after = authority[authority.index(after: close)...]
            guard !after.isEmpty else { return (address, nil) }
            guard after.hasPrefix(":") else {
                throw SyntaxError(reason: "unexpected '\(after)' after the IPv6 address")
            }
            return (address, try port(String(after.dropFirst())))
        }
        let colons = authority.filter { $0 == ":" }.count
        if colons > 1 {
            throw SyntaxError(reason: "an IPv6 address must be in brackets, as in tcp://[::1]:2375")
        }
        let pieces = authority.split(separator: ":", omittingEmptySubsequences: false)
        let host = String(pieces[0])
        guard !host.isEmpty else { throw SyntaxError(reason: "it has no host before the port") }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
            throw SyntaxError(reason: "'\(host)' is not a host name or IP address")
        }
        return (host, pieces.count == 2 ? try port(String(pieces[1])) : nil)
    }

    private static func port(_ text: String) throws(SyntaxError) -> Int {
        guard !text.isEmpty else { throw SyntaxError(reason: "the port after ':' is empty") }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw SyntaxError(reason: "the port '\(text)' is not a number")
        }
        guard text.count <= 5, let value = Int(text), (1...65535).contains(value) else {
            throw SyntaxError(reason: "the port \(text) is outside 1-65535")
        }
        return value
    }
}

/// Ports and paths an endpoint falls back to when it does not say.
enum DockerEndpointDefaults {
    static let socketPath = DockerEndpoint.defaultSocketPath
    static let podmanSocketPath = "/run/podman/podman.sock"
    static let plainPort = 2375
    static let tlsPort = 2376
}
