public import ContainerEngine

extension Runner {
    /// Every container of the project, probed with its stored token, then the wanted replicas that
    /// have no container. Tokens stay out of the reports.
    public func status() async throws -> [SandboxReport] {
        let observation = try await observe()
        let state = try settings.state.load(project: project.name)
        let containers = observation.containers.sorted { lhs, rhs in
            Self.order(lhs, desired) < Self.order(rhs, desired)
        }
        var reports = await concurrentMap(containers, limit: settings.parallelism) { container in
            await self.statusReport(container, observation.engineOf[container.id]!, state)
        }
        let present = Set(
            containers.map { container in
                let labels = container.labels
                return "\(labels[SandboxLabels.deployment] ?? "")/\(labels[SandboxLabels.replica] ?? "")"
            })
        for spec in desired where !present.contains(spec.address) {
            let engine = engines.engine(for: spec.deployment)?.record
            reports.append(
                SandboxReport(
                    deployment: spec.deployment, replica: spec.replica, name: spec.name, containerID: nil,
                    engine: engine ?? EngineIdentityRecord(kind: "?", runtime: "?", endpoint: "?"), url: nil,
                    state: .missing, detail: "no container; `swerex-run up` creates it"))
        }
        let order = Dictionary(desired.enumerated().map { ($1.name, $0) }) { first, _ in first }
        return reports.enumerated().sorted { lhs, rhs in
            (order[lhs.element.name] ?? Int.max, lhs.offset) < (order[rhs.element.name] ?? Int.max, rhs.offset)
        }.map(\.element)
    }

    private func statusReport(_ container: ContainerInfo, _ handle: EngineHandle, _ state: ProjectState) async
        -> SandboxReport
    {
        let deployment = container.labels[SandboxLabels.deployment] ?? "?"
        let record = state.sandboxes.values.first { $0.containerID == container.id }
        var url = record?.url
        if url == nil || url == "", let port = container.ports[8000]?.port {
            let host =
                project.deployments.first { $0.name == deployment }?.config.dockerInternalHost ?? "http://127.0.0.1"
            url = LivenessURL(internalHost: host, port: port).description
        }
        var report = SandboxReport(
            deployment: deployment, replica: container.labels[SandboxLabels.replica].flatMap { Int($0) },
            name: container.name, containerID: container.id, engine: handle.record, url: url, state: .alive)
        guard container.status == .running else {
            report.state = .stopped
            report.detail = container.status.rawValue + (container.exitCode.map { " (exit code \($0))" } ?? "")
            return report
        }
        guard let record, let port = container.ports[8000]?.port else {
            report.state = .tokenUnknown
            report.detail = "its token is not in this user's state file"
            return report
        }
        guard var probeURL = LivenessURL(parsing: record.url) else {
            report.state = .tokenUnknown
            report.detail = "its stored URL is unusable"
            return report
        }
        probeURL.port = port
        switch await SandboxClient(url: probeURL, token: record.token).probe(timeout: .seconds(3)) {
        case .alive: break
        case .rejected(let status):
            report.state = .notAnswering
            report.detail = "it refused the stored token (HTTP \(status))"
        case .notYet(let reason):
            report.state = .notAnswering
            report.detail = reason
        }
        return report
    }

    private static func order(_ container: ContainerInfo, _ desired: [SandboxSpec]) -> (Int, String) {
        (desired.firstIndex { $0.name == container.name } ?? Int.max, container.name)
    }

    /// The stored URL and token of `DEPLOYMENT/N` (replica 1 when nil), for `exec`.
    public func client(deployment: String, replica: Int?) throws -> SandboxClient {
        try Self.client(project: project.name, deployment: deployment, replica: replica, state: settings.state)
    }

    /// As `client(deployment:replica:)`, from the state file alone (no manifest needed).
    public static func client(project: String, deployment: String, replica: Int?, state: StateStore) throws
        -> SandboxClient
    {
        let stored = try state.load(project: project)
        guard let record = stored.record(deployment: deployment, replica: replica ?? 1) else {
            let replicas = stored.sandboxes.values.filter { $0.deployment == deployment }.map(\.replica).sorted()
            let listed =
                replicas.count > 2 && replicas == Array(1...replicas.count)
                ? "1 to \(replicas.count)" : replicas.map(String.init).joined(separator: ", ")
            let hint =
                replicas.isEmpty
                ? "start it with `swerex-run up -d`, as this user; `swerex-run status` lists what runs"
                : "\(deployment) has replica\(replicas.count == 1 ? "" : "s") \(listed) here: give one of those"
            throw RunnerError(
                "no sandbox \(deployment)/\(replica ?? 1) of project \(project) in \(state.path(project: project))",
                hint: hint)
        }
        guard let url = LivenessURL(parsing: record.url) else {
            throw RunnerError("the stored URL of \(record.name) is unusable: '\(record.url)'")
        }
        return SandboxClient(url: url, token: record.token)
    }

    /// The container output of `DEPLOYMENT/N`, or of every replica of the deployment when N is nil.
    public func logs(deployment: String, replica: Int?, tail: Int?) async throws -> [(
        name: String, logs: ContainerLogs
    )] {
        // A runner made from a project name alone (no manifest) knows no deployments: look by label.
        guard project.deployments.isEmpty || project.deployments.contains(where: { $0.name == deployment }) else {
            let names = project.deployments.map(\.name).joined(separator: ", ")
            throw RunnerError("no deployment \(deployment) in the manifest", hint: "deployments: \(names)")
        }
        let observation = try await observe()
        let matching = observation.containers.filter { container in
            container.labels[SandboxLabels.deployment] == deployment
                && (replica == nil || container.labels[SandboxLabels.replica] == String(replica!))
        }.sorted { $0.name < $1.name }
        guard !matching.isEmpty else {
            throw RunnerError(
                "no container for \(deployment)\(replica.map { "/\($0)" } ?? "") of project \(project.name)")
        }
        var result: [(name: String, logs: ContainerLogs)] = []
        for container in matching {
            let logs = try await observation.engineOf[container.id]!.engine.logs(container.id, tail: tail)
            result.append((container.name, logs))
        }
        return result
    }
}
