import Diagnostics

/// `docker_internal_host`: where the sandbox's published port is reached, as `scheme://host`.
enum InternalHost {
    /// Adds `http://` when no scheme is given and drops trailing slashes; a path, port, query or
    /// user is an error, because the runner appends `:PORT/is_alive` to the value.
    static func normalise(_ text: String, at location: SourceLocation) throws(Diagnostic) -> String {
        var value = text
        if !value.contains("://") { value = "http://" + value }
        while value.hasSuffix("/") { value.removeLast() }
        guard let separator = value.range(of: "://") else { return value }
        let scheme = value[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .error("docker_internal_host must be an http:// or https:// address; found '\(text)'", at: location)
        }
        let rest = value[separator.upperBound...]
        if let slash = rest.firstIndex(of: "/") {
            throw .error(
                "docker_internal_host must not have a path ('\(rest[slash...])'): the runner adds ':PORT/is_alive'",
                at: location
            )
        }
        if rest.contains("?") || rest.contains("#") || rest.contains("@") {
            throw .error("docker_internal_host must be only a scheme and a host; found '\(text)'", at: location)
        }
        guard !rest.isEmpty else { throw .error("docker_internal_host has no host: '\(text)'", at: location) }
        let hostPart = rest.hasPrefix("[") ? String(rest.drop { $0 != "]" }.dropFirst()) : String(rest)
        if hostPart.contains(":") {
            throw .error(
                "docker_internal_host must not have a port: the deployment's port is added to it; found '\(text)'",
                at: location
            )
        }
        return scheme + "://" + rest
    }

    /// Loopback names and addresses: a liveness check at them reaches this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") || host == "0:0:0:0:0:0:0:1"
    }

    /// `http://HOST` for a remote endpoint's host, with an IPv6 address in brackets.
    static func forRemoteHost(_ host: String) -> String {
        host.contains(":") ? "http://[\(host)]" : "http://\(host)"
    }
}
