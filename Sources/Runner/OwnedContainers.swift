import Synchronization

/// A container this run is responsible for at teardown.
public struct OwnedContainer: Sendable {
    public var id: String
    public var name: String
    public var engine: EngineHandle
    /// `remove_container`: removed at teardown when true, only stopped when false.
    public var removeContainer: Bool
    /// The image to remove after it, when `remove_images` is true.
    public var removeImage: String?
    /// Created by this run (as opposed to kept from an earlier one).
    public var createdByThisRun: Bool
}

/// What a run has created or taken over, and the names it tried to create (a run request cancelled
/// in flight may still leave a container whose id never came back).
public final class OwnedContainers: Sendable {
    private struct State {
        var containers: [String: OwnedContainer] = [:]
        var attemptedNames: [String: EngineHandle] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func attempt(_ name: String, on engine: EngineHandle) {
        state.withLock { $0.attemptedNames[name] = engine }
    }

    func add(_ container: OwnedContainer) {
        state.withLock { $0.containers[container.id] = container }
    }

    func remove(id: String) {
        state.withLock { _ = $0.containers.removeValue(forKey: id) }
    }

    /// Everything held, or only what this run created.
    public func containers(createdOnly: Bool) -> [OwnedContainer] {
        state.withLock { state in
            state.containers.values.filter { !createdOnly || $0.createdByThisRun }.sorted { $0.name < $1.name }
        }
    }

    /// Names this run asked an engine to create, with the engine asked.
    var attemptedNames: [String: EngineHandle] { state.withLock { $0.attemptedNames } }
}
