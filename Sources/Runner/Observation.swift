import ContainerEngine

/// What the engines hold for one project: its labelled containers, which engine saw each one, and
/// which wanted names are held by containers without our labels.
struct Observation: Sendable {
    var containers: [ContainerInfo]
    var engineOf: [String: EngineHandle]
    var nameHolders: [String: ContainerInfo]
}

extension Runner {
    /// Lists the project's containers on every engine it uses, then looks up wanted names nobody
    /// labelled has, to find containers that hold our names without being ours.
    func observe() async throws -> Observation {
        let filter = SandboxLabels.projectFilter(project.name)
        var containers: [ContainerInfo] = []
        var engineOf: [String: EngineHandle] = [:]
        for handle in engines.distinct {
            for container in try await handle.engine.listContainers(labels: filter) where engineOf[container.id] == nil
            {
                containers.append(container)
                engineOf[container.id] = handle
            }
        }
        let labelledSlots = Set(
            containers.compactMap { container -> String? in
                guard let deployment = container.labels[SandboxLabels.deployment],
                    let replica = container.labels[SandboxLabels.replica]
                else { return nil }
                return "\(deployment)/\(replica)"
            })
        let unlabelled = desired.filter { !labelledSlots.contains($0.address) }
        var holders: [String: ContainerInfo] = [:]
        for spec in unlabelled {
            guard let handle = engines.engine(for: spec.deployment),
                let holder = try await handle.engine.inspectContainer(spec.name), holder.name == spec.name
            else { continue }
            holders[spec.name] = holder
        }
        log.detail("observed \(containers.count) container(s) of project \(project.name)")
        return Observation(containers: containers, engineOf: engineOf, nameHolders: holders)
    }
}
