internal import ContainerEngine
internal import Foundation

/// Reads the JSON that `inspect` and `version` print. docker and podman print different shapes for
/// the same facts; each reader accepts both.
enum InspectOutput {
    /// The objects in a JSON array (`docker inspect` without `--format`), or in one JSON object per line.
    /// - Throws: `EngineError.Code.protocolError` when the text is neither.
    static func objects(in text: String, runtime: String) throws(EngineError) -> [[String: Any]] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        if let array = parse(trimmed) as? [Any] {
            return array.compactMap { $0 as? [String: Any] }
        }
        var objects: [[String: Any]] = []
        for line in trimmed.split(whereSeparator: \.isNewline) {
            guard let object = parse(String(line)) as? [String: Any] else {
                throw EngineError(.protocolError, "\(runtime) printed output that is not JSON: \(line.prefix(200))")
            }
            objects.append(object)
        }
        return objects
    }

    /// A container from one element of `container inspect`.
    static func container(from object: [String: Any]) -> ContainerInfo? {
        guard let id = object["Id"] as? String else { return nil }
        let state = object["State"] as? [String: Any] ?? [:]
        let config = object["Config"] as? [String: Any] ?? [:]
        let status = containerStatus(state)
        let name = (object["Name"] as? String).map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? ""
        let error = (state["Error"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        let exitCode = (status == .exited || status == .dead) ? integer(state["ExitCode"]) : nil
        return ContainerInfo(
            id: id,
            name: name,
            image: object["ImageName"] as? String ?? config["Image"] as? String ?? "",
            imageID: (object["Image"] as? String).map(canonicalImageID),
            status: status,
            exitCode: exitCode,
            error: error,
            labels: config["Labels"] as? [String: String] ?? [:],
            ports: publishedPorts(object)
        )
    }

    /// An image from one element of `image inspect`.
    static func image(from object: [String: Any]) -> ImageInfo? {
        guard let id = object["Id"] as? String else { return nil }
        return ImageInfo(
            id: canonicalImageID(id),
            tags: object["RepoTags"] as? [String] ?? [],
            os: object["Os"] as? String,
            architecture: object["Architecture"] as? String
        )
    }

    /// The engine's version from `version --format '{{json .}}'`.
    ///
    /// docker reports the daemon under `Server`; local podman has no server and reports itself as `Client`.
    static func version(from object: [String: Any]) -> EngineVersion? {
        let side = object["Server"] as? [String: Any] ?? object["Client"] as? [String: Any]
        guard let side, let version = side["Version"] as? String else { return nil }
        let osArch = (side["OsArch"] as? String)?.split(separator: "/").map(String.init) ?? []
        return EngineVersion(
            version: version,
            apiVersion: side["ApiVersion"] as? String ?? side["APIVersion"] as? String ?? "",
            os: side["Os"] as? String ?? osArch.first ?? "",
            architecture: side["Arch"] as? String ?? (osArch.count > 1 ? osArch[1] : "")
        )
    }

    /// `sha256:<hex>` for an id given with or without its algorithm.
    static func canonicalImageID(_ id: String) -> String {
        id.contains(":") ? id : "sha256:\(id)"
    }

    private static func parse(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    private static func integer(_ value: Any?) -> Int? {
        (value as? NSNumber)?.intValue
    }

    private static func containerStatus(_ state: [String: Any]) -> ContainerInfo.Status {
        switch (state["Status"] as? String)?.lowercased() {
        case "created", "configured", "initialized": return .created
        case "running", "stopping": return .running
        case "paused": return .paused
        case "restarting": return .restarting
        case "removing": return .removing
        case "exited", "stopped": return .exited
        case "dead": return .dead
        default: return .unknown
        }
    }

    /// Published TCP ports. Where a port is published on both IPv4 and IPv6, the IPv4 address wins; an
    /// empty address (podman's way of saying "all interfaces") becomes `0.0.0.0`.
    private static func publishedPorts(_ object: [String: Any]) -> [Int: HostAddress] {
        let network = object["NetworkSettings"] as? [String: Any] ?? [:]
        let ports = network["Ports"] as? [String: Any] ?? [:]
        var result: [Int: HostAddress] = [:]
        for (key, value) in ports {
            let parts = key.split(separator: "/")
            guard let containerPort = parts.first.flatMap({ Int($0) }), parts.count < 2 || parts[1] == "tcp",
                let bindings = value as? [[String: Any]]
            else { continue }
            let addresses = bindings.compactMap { binding -> HostAddress? in
                guard let port = (binding["HostPort"] as? String).flatMap({ Int($0) }) else { return nil }
                let ip = binding["HostIp"] as? String ?? ""
                return HostAddress(ip: ip.isEmpty ? "0.0.0.0" : ip, port: port)
            }
            result[containerPort] = addresses.first { !$0.ip.contains(":") } ?? addresses.first
        }
        return result
    }
}
