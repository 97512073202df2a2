import ContainerEngine

extension ContainerInfo {
    /// The engine's view of an inspected container.
    init(_ response: ContainerInspectResponse) {
        var ports: [Int: HostAddress] = [:]
        for (key, bindings) in response.networkSettings?.ports ?? [:] {
            guard let containerPort = Self.tcpPort(key), let bindings = bindings ?? nil else { continue }
            let addresses = bindings.compactMap { binding -> HostAddress? in
                guard let port = binding.hostPort.flatMap({ Int($0) }) else { return nil }
                return HostAddress(ip: binding.hostIP ?? "", port: port)
            }
            if let address = Self.preferred(addresses) { ports[containerPort] = address }
        }
        self.init(
            id: response.id,
            name: Self.trimmedName(response.name),
            image: response.config?.image ?? "",
            imageID: response.imageID,
            status: Status(apiState: response.state?.status),
            exitCode: response.state?.exitCode,
            error: response.state?.error.flatMap { $0.isEmpty ? nil : $0 },
            labels: response.config?.labels ?? [:],
            ports: ports
        )
    }

    /// The engine's view of a container from the list, which has no error text and an exit code only
    /// inside its status text.
    init(_ summary: ContainerSummaryResponse) {
        var ports: [Int: HostAddress] = [:]
        let tcp = (summary.ports ?? []).filter { ($0.type ?? "tcp") == "tcp" }
        for port in tcp {
            guard let publicPort = port.publicPort else { continue }
            let address = HostAddress(ip: port.ip ?? "", port: publicPort)
            ports[port.privatePort] = Self.preferred([ports[port.privatePort], address].compactMap { $0 })
        }
        let status = Status(apiState: summary.state)
        self.init(
            id: summary.id,
            name: Self.trimmedName(summary.names?.first ?? ""),
            image: summary.image ?? "",
            imageID: summary.imageID,
            status: status,
            exitCode: status == .exited || status == .dead ? Self.exitCode(inStatusText: summary.status) : nil,
            error: nil,
            labels: summary.labels ?? [:],
            ports: ports
        )
    }

    private static func trimmedName(_ name: String) -> String {
        name.hasPrefix("/") ? String(name.dropFirst()) : name
    }

    /// `8000/tcp` → 8000; other protocols are not published ports the runner reaches.
    private static func tcpPort(_ key: String) -> Int? {
        let parts = key.split(separator: "/")
        guard parts.count == 1 || parts.last == "tcp" else { return nil }
        return Int(parts[0])
    }

    /// An IPv4 binding before an IPv6 one: the daemon lists both when it publishes on all interfaces.
    private static func preferred(_ addresses: [HostAddress]) -> HostAddress? {
        addresses.first { !$0.ip.contains(":") } ?? addresses.first
    }

    /// `Exited (137) 3 seconds ago` → 137.
    private static func exitCode(inStatusText text: String?) -> Int? {
        guard let text, let open = text.firstIndex(of: "("), let close = text.firstIndex(of: ")"), open < close
        else { return nil }
        return Int(text[text.index(after: open)..<close])
    }
}

extension ContainerInfo.Status {
    init(apiState: String?) {
        self = apiState.flatMap(Self.init(rawValue:)) ?? .unknown
    }
}
