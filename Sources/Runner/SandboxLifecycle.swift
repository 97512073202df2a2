/// One sandbox from "nothing yet" (or an adopted running container) to alive or failed, as a value
/// that takes what just happened and returns what to do next. The engine calls live elsewhere; this
/// type only decides, so every transition has a test and an impossible one names its state.
public struct SandboxLifecycle: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// Nothing on the engine yet.
        case pending
        /// The run request is out.
        case starting
        /// The container runs; its server has not answered yet.
        case waiting(container: String)
        case alive(container: String)
        /// Failed; the container is being removed.
        case cleaningUp(container: String, failure: String)
        /// Failed; `left` names a container kept because `remove_container` is false.
        case failed(failure: String, left: String?)
    }

    public enum Event: Sendable, Hashable {
        case begin
        case started(container: String)
        /// The engine refused to start it; by the engine contract nothing was left behind.
        case startFailed(String)
        case answered
        /// The container stopped before answering; `detail` has its exit code and log tail.
        case exited(detail: String)
        /// `startup_timeout` passed; `detail` has the URL, last error, state and log tail.
        case timedOut(detail: String)
        /// The server rejected the token.
        case rejected(detail: String)
        case removed
        case removeFailed(String)
    }

    public enum Action: Sendable, Hashable {
        /// Create and start the container.
        case run
        /// Probe it until it answers, exits or runs out of time.
        case waitUntilAlive(container: String)
        case remove(container: String)
        /// Done: the sandbox answers.
        case succeed(container: String)
        /// Done: it failed, with the whole explanation.
        case fail(String)
    }

    public private(set) var state: State
    /// `remove_container`: whether a failed sandbox's container is removed.
    public let removeOnFailure: Bool

    /// A lifecycle for a sandbox that does not exist yet.
    public init(removeOnFailure: Bool) {
        self.state = .pending
        self.removeOnFailure = removeOnFailure
    }

    /// A lifecycle for a container that already runs (a kept one): it only has to answer.
    public init(adopting container: String, removeOnFailure: Bool) {
        self.state = .waiting(container: container)
        self.removeOnFailure = removeOnFailure
    }

    /// The first action: run a new container, or wait for an adopted one.
    public mutating func start() -> Action {
        switch state {
        case .waiting(let container): return .waitUntilAlive(container: container)
        default:
            state = .starting
            return .run
        }
    }

    /// Moves on from `event`.
    /// - Throws: `LifecycleError` when `event` cannot happen in the current state.
    public mutating func handle(_ event: Event) throws(LifecycleError) -> Action {
        switch (state, event) {
        case (.pending, .begin):
            return start()
        case (.starting, .started(let container)):
            state = .waiting(container: container)
            return .waitUntilAlive(container: container)
        case (.starting, .startFailed(let reason)):
            return finish(failure: reason, left: nil)
        case (.waiting(let container), .answered):
            state = .alive(container: container)
            return .succeed(container: container)
        case (.waiting(let container), .exited(let detail)),
            (.waiting(let container), .timedOut(let detail)),
            (.waiting(let container), .rejected(let detail)):
            guard removeOnFailure else {
                return finish(
                    failure: detail + "\nContainer \(container) is kept, stopped, because remove_container is false.",
                    left: container)
            }
            state = .cleaningUp(container: container, failure: detail)
            return .remove(container: container)
        case (.cleaningUp(_, let failure), .removed):
            return finish(failure: failure, left: nil)
        case (.cleaningUp(let container, let failure), .removeFailed(let reason)):
            return finish(failure: failure + "\nRemoving container \(container) failed too: \(reason)", left: container)
        default:
            throw LifecycleError(state: state, event: event)
        }
    }

    private mutating func finish(failure: String, left: String?) -> Action {
        state = .failed(failure: failure, left: left)
        return .fail(failure)
    }
}

/// An event that cannot happen in the state the lifecycle is in: a bug in the caller.
public struct LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var state: SandboxLifecycle.State
    public var event: SandboxLifecycle.Event

    public var description: String { "sandbox lifecycle: \(event) cannot happen while \(state)" }
}
