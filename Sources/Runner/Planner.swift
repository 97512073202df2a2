public import ContainerEngine

/// The decision table: what the engine holds against what the manifest wants → one action each.
/// Pure: everything it reads is passed in, so every row of the table has a test.
public struct Planner: Sendable {
    /// Every container carrying this project's labels, on every engine the manifest uses.
    public var observed: [ContainerInfo]
    /// For wanted names that no labelled container has: what the engine holds under that name.
    public var nameHolders: [String: ContainerInfo]
    /// Ids of containers whose token the state file has.
    public var knownTokens: Set<String>
    /// The id each deployment's image has on its engine now, when known (compared with the container's).
    public var currentImageIDs: [String: String]
    /// Whether orphans are removed (`--prune`) or only reported.
    public var prune: Bool

    public init(
        observed: [ContainerInfo],
        nameHolders: [String: ContainerInfo] = [:],
        knownTokens: Set<String> = [],
        currentImageIDs: [String: String] = [:],
        prune: Bool = false
    ) {
        self.observed = observed
        self.nameHolders = nameHolders
        self.knownTokens = knownTokens
        self.currentImageIDs = currentImageIDs
        self.prune = prune
    }

    /// The plan for `desired`, all replicas of one project.
    public func plan(project: String, desired: [SandboxSpec]) -> Plan {
        var unclaimed = observed.filter { $0.labels[SandboxLabels.project] == project }
        var actions: [PlannedAction] = []
        for spec in desired {
            let matches = unclaimed.filter { Self.slot(of: $0).map { $0 == (spec.deployment, spec.replica) } ?? false }
            unclaimed.removeAll { candidate in matches.contains { $0.id == candidate.id } }
            let (chosen, duplicates) = Self.pick(matches, preferring: spec.name)
            actions.append(decide(spec, found: chosen))
            actions += duplicates.map {
                PlannedAction(
                    .remove, name: $0.name, deployment: spec.deployment, replica: spec.replica,
                    reason: "a second container for \(spec.address)", container: $0)
            }
        }
        let wanted = Set(desired.map(\.deployment))
        for container in unclaimed.sorted(by: { $0.name < $1.name }) {
            actions.append(unwanted(container, deploymentStillWanted: wanted))
        }
        return Plan(project: project, actions: actions)
    }

    private func decide(_ spec: SandboxSpec, found: ContainerInfo?) -> PlannedAction {
        func action(_ kind: PlannedAction.Kind, _ reason: String, _ container: ContainerInfo? = found) -> PlannedAction
        {
            PlannedAction(
                kind, name: spec.name, deployment: spec.deployment, replica: spec.replica,
                reason: reason, spec: spec, container: container)
        }
        guard let found else {
            if let holder = nameHolders[spec.name] {
                return action(.conflict, Self.conflictReason(spec.name, holder), holder)
            }
            return action(.create, "no container yet")
        }
        if let reason = replaceReason(spec, found) { return action(.replace, reason) }
        return action(.keep, "up to date and running")
    }

    /// Why `container` cannot stay, or nil when it is up to date and usable.
    private func replaceReason(_ spec: SandboxSpec, _ container: ContainerInfo) -> String? {
        let version = container.labels[SandboxLabels.hashVersion]
        if version != String(SandboxIdentity.hashVersion) {
            return "its spec hash is of another version (\(version ?? "none"), now \(SandboxIdentity.hashVersion))"
        }
        if container.labels[SandboxLabels.specHash] != spec.identity.hash {
            let changed = spec.identity.changedFields(comparedTo: container.labels[SandboxLabels.specFields])
            guard let changed, !changed.isEmpty else { return "spec changed" }
            return "spec changed: \(changed.joined(separator: ", "))"
        }
        if container.status != .running {
            let code = container.exitCode.map { " (exit code \($0))" } ?? ""
            return "container is \(container.status.rawValue)\(code)"
        }
        if !knownTokens.contains(container.id) {
            return "its token is not in this user's state file, so it cannot be reached"
        }
        if spec.identity.pythonStandaloneDir == nil, let current = currentImageIDs[spec.deployment],
            let running = container.imageID, running != current
        {
            return "image \(spec.identity.image) is now \(Self.short(current)), container runs \(Self.short(running))"
        }
        return nil
    }

    private func unwanted(_ container: ContainerInfo, deploymentStillWanted wanted: Set<String>) -> PlannedAction {
        let deployment = container.labels[SandboxLabels.deployment] ?? "?"
        let replica = container.labels[SandboxLabels.replica].flatMap { Int($0) }
        if wanted.contains(deployment) {
            let reason =
                replica.map { "replica \($0) is past the \(deployment) deployment's replicas" }
                ?? "its replica label is unreadable"
            return PlannedAction(
                .remove, name: container.name, deployment: deployment, replica: replica,
                reason: reason, container: container)
        }
        let reason = "deployment \(deployment) is no longer in the manifest"
        return PlannedAction(
            prune ? .remove : .orphan, name: container.name, deployment: deployment, replica: replica,
            reason: prune ? "\(reason) (--prune)" : "\(reason); --prune removes it", container: container)
    }

    private static func conflictReason(_ name: String, _ holder: ContainerInfo) -> String {
        let owner =
            holder.labels[SandboxLabels.managedBy] == SandboxLabels.managedByValue
            ? "belongs to project \(holder.labels[SandboxLabels.project] ?? "?")"
            : "is not managed by swerex-run"
        return "container \(name) (\(short(holder.id))) \(owner); rename or remove it, swerex-run leaves it alone"
    }

    /// The container's (deployment, replica) labels.
    private static func slot(of container: ContainerInfo) -> (String, Int)? {
        guard let deployment = container.labels[SandboxLabels.deployment],
            let replica = container.labels[SandboxLabels.replica].flatMap({ Int($0) })
        else { return nil }
        return (deployment, replica)
    }

    /// One container to consider, preferring the one with the expected name, then a running one.
    private static func pick(_ matches: [ContainerInfo], preferring name: String) -> (ContainerInfo?, [ContainerInfo]) {
        let ordered = matches.sorted { lhs, rhs in
            let left = (lhs.name == name ? 0 : 1, lhs.status == .running ? 0 : 1, lhs.id)
            let right = (rhs.name == name ? 0 : 1, rhs.status == .running ? 0 : 1, rhs.id)
            return left < right
        }
        return (ordered.first, Array(ordered.dropFirst()))
    }

    static func short(_ id: String) -> String {
        let bare = id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id
        return String(bare.prefix(12))
    }
}
