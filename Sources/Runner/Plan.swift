public import ContainerEngine

/// What `up` will do to one container, and why.
public struct PlannedAction: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No container yet: create one.
        case create
        /// Up to date and running: leave it.
        case keep
        /// Out of date or broken: remove it, then create a new one.
        case replace
        /// Ours but not wanted (a replica past `replicas`, or a pruned orphan): remove it.
        case remove
        /// Ours, of a deployment the manifest no longer has: reported, kept without `--prune`.
        case orphan
        /// A container holds our name without our labels: an error, left untouched.
        case conflict
    }

    public var kind: Kind
    /// The container name the action concerns.
    public var name: String
    public var deployment: String
    public var replica: Int?
    /// One sentence a user can act on.
    public var reason: String
    /// The wanted replica (create, keep, replace).
    public var spec: SandboxSpec?
    /// The container found on the engine (keep, replace, remove, orphan, conflict).
    public var container: ContainerInfo?

    public init(
        _ kind: Kind,
        name: String,
        deployment: String,
        replica: Int?,
        reason: String,
        spec: SandboxSpec? = nil,
        container: ContainerInfo? = nil
    ) {
        self.kind = kind
        self.name = name
        self.deployment = deployment
        self.replica = replica
        self.reason = reason
        self.spec = spec
        self.container = container
    }

    /// Whether carrying it out changes anything on the engine.
    public var changes: Bool { kind == .create || kind == .replace || kind == .remove }
}

/// Every action for one project, wanted replicas first in manifest order, then the unwanted.
public struct Plan: Sendable, Hashable {
    public var project: String
    public var actions: [PlannedAction]

    public init(project: String, actions: [PlannedAction]) {
        self.project = project
        self.actions = actions
    }

    public var hasChanges: Bool { actions.contains(where: \.changes) }
    public var conflicts: [PlannedAction] { actions.filter { $0.kind == .conflict } }

    public func count(_ kind: PlannedAction.Kind) -> Int {
        actions.count { $0.kind == kind }
    }

    public func actions(_ kinds: PlannedAction.Kind...) -> [PlannedAction] {
        actions.filter { kinds.contains($0.kind) }
    }
}
