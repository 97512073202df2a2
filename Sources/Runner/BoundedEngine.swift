import ContainerEngine
import Synchronization

/// How long each kind of engine call may take before the runner stops waiting for it.
public struct EngineBounds: Sendable {
    /// Version, inspect, list, logs.
    public var query: Duration = .seconds(30)
    /// Create and start.
    public var run: Duration = .seconds(120)
    /// Remove, kill, stop (on top of the stop's grace period), remove an image.
    public var change: Duration = .seconds(60)
    /// A pull or build that reports no progress for this long has stalled.
    public var idleTransfer: Duration = .seconds(300)
    /// Every call on an engine that has already let one call time out (until one succeeds).
    public var stalled: Duration = .seconds(10)
    /// How long a change already sent (create, remove) may still finish after the run is
    /// interrupted; queries, pulls and builds are left at once.
    public var changeAfterInterrupt: Duration = .seconds(10)

    public init() {}
}

/// An engine whose every call has a bound and gives up at once when the task waiting for it is
/// cancelled (the first Ctrl-C). The call itself cannot always be stopped (a request already in
/// libcurl, a CLI child): it is left to finish in the background and its result is dropped.
/// After a call times out, the engine counts as stalled and every call on it gets the short bound
/// until one succeeds, so a teardown on a hung engine ends in seconds, not minutes.
final class BoundedEngine: ContainerEngine {
    let inner: any ContainerEngine
    let bounds: EngineBounds
    private let stalledSince = Mutex<ContinuousClock.Instant?>(nil)

    init(_ inner: any ContainerEngine, bounds: EngineBounds = EngineBounds()) {
        self.inner = inner
        self.bounds = bounds
    }

    var identity: EngineIdentity { inner.identity }

    /// Whether a call on this engine has timed out since the last one that succeeded.
    var isStalled: Bool { stalledSince.withLock { $0 != nil } }

    func version() async throws(EngineError) -> EngineVersion {
        try await bounded("asking for its version", bounds.query) { [inner] () throws(EngineError) in
            try await inner.version()
        }
    }

    func inspectImage(_ reference: String) async throws(EngineError) -> ImageInfo? {
        try await bounded("inspecting image \(reference)", bounds.query) { [inner] () throws(EngineError) in
            try await inner.inspectImage(reference)
        }
    }

    func pullImage(
        _ reference: String,
        platform: String?,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) {
        let watch = ProgressWatch()
        try await bounded("pulling \(reference)", bounds.idleTransfer, idle: watch) { [inner] () throws(EngineError) in
            try await inner.pullImage(reference, platform: platform) { event in
                watch.touch()
                progress(event)
            }
        }
    }

    func buildImage(
        _ request: BuildRequest,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) -> String {
        let watch = ProgressWatch()
        return try await bounded("building an image", bounds.idleTransfer, idle: watch) {
            [inner] () throws(EngineError) in
            try await inner.buildImage(request) { event in
                watch.touch()
                progress(event)
            }
        }
    }

    func runContainer(_ spec: ContainerSpec) async throws(EngineError) -> String {
        try await bounded("creating \(spec.name)", bounds.run, isChange: true) { [inner] () throws(EngineError) in
            try await inner.runContainer(spec)
        }
    }

    func inspectContainer(_ idOrName: String) async throws(EngineError) -> ContainerInfo? {
        try await bounded("inspecting container \(idOrName)", bounds.query) { [inner] () throws(EngineError) in
            try await inner.inspectContainer(idOrName)
        }
    }

    func listContainers(labels: [String: String?]) async throws(EngineError) -> [ContainerInfo] {
        try await bounded("listing containers", bounds.query) { [inner] () throws(EngineError) in
            try await inner.listContainers(labels: labels)
        }
    }

    func logs(_ idOrName: String, tail: Int?) async throws(EngineError) -> ContainerLogs {
        try await bounded("reading the output of \(idOrName)", bounds.query) { [inner] () throws(EngineError) in
            try await inner.logs(idOrName, tail: tail)
        }
    }

    func stopContainer(_ idOrName: String, grace: Int) async throws(EngineError) {
        let limit = bounds.change + .seconds(grace)
        try await bounded("stopping \(idOrName)", limit, isChange: true) { [inner] () throws(EngineError) in
            try await inner.stopContainer(idOrName, grace: grace)
        }
    }

    func killContainer(_ idOrName: String, signal: String?) async throws(EngineError) {
        try await bounded("stopping \(idOrName)", bounds.change, isChange: true) { [inner] () throws(EngineError) in
            try await inner.killContainer(idOrName, signal: signal)
        }
    }

    func removeContainer(_ idOrName: String) async throws(EngineError) {
        try await bounded("removing \(idOrName)", bounds.change, isChange: true) { [inner] () throws(EngineError) in
            try await inner.removeContainer(idOrName)
        }
    }

    func removeImage(_ reference: String, force: Bool) async throws(EngineError) {
        try await bounded("removing image \(reference)", bounds.change, isChange: true) {
            [inner] () throws(EngineError) in
            try await inner.removeImage(reference, force: force)
        }
    }

    // MARK: bounding

    /// Runs `call` in a task of its own and returns its result, or a timeout once `limit` passes
    /// (without progress, when `idle` is given), or an interruption when the waiting task is
    /// cancelled (after `changeAfterInterrupt` for a change already sent).
    private func bounded<Value: Sendable>(
        _ what: String,
        _ limit: Duration,
        idle: ProgressWatch? = nil,
        isChange: Bool = false,
        _ call: @escaping @Sendable () async throws(EngineError) -> Value
    ) async throws(EngineError) -> Value {
        let stalled = isStalled
        let limit = stalled ? min(limit, bounds.stalled) : limit
        let started = ContinuousClock.now
        let outcome = Outcome<Value>()
        let work = Task {
            do throws(EngineError) {
                outcome.settle(.success(try await call()))
            } catch {
                outcome.settle(.failure(.answered(error)))
            }
        }
        let timer = Task { [bounds] in
            var deadline = started + limit
            while true {
                try? await Task.sleep(until: deadline)
                if Task.isCancelled { return }
                guard let idle, !stalled else { break }
                let next = idle.last + bounds.idleTransfer
                if next <= .now { break }
                deadline = next
            }
            outcome.settle(.failure(.timedOut))
        }
        let result = await withTaskCancellationHandler {
            await outcome.value()
        } onCancel: { [bounds] in
            guard isChange else { return outcome.settle(.failure(.interrupted)) }
            Task {
                try? await Task.sleep(for: bounds.changeAfterInterrupt)
                outcome.settle(.failure(.interrupted))
            }
        }
        timer.cancel()
        switch result {
        case .success(let value):
            stalledSince.withLock { $0 = nil }
            return value
        case .failure(.answered(let error)):
            if error.code != .timeout { stalledSince.withLock { $0 = nil } }
            throw error
        case .failure(.timedOut):
            work.cancel()
            stalledSince.withLock { $0 = $0 ?? started }
            throw timeoutError(what, waited: ContinuousClock.now - started)
        case .failure(.interrupted):
            work.cancel()
            if ContinuousClock.now - started > bounds.stalled { stalledSince.withLock { $0 = $0 ?? started } }
            throw EngineError(
                .engineError, "interrupted while \(what) on \(Self.summary(identity)); left it to the engine")
        }
    }

    private func timeoutError(_ what: String, waited: Duration) -> EngineError {
        let seconds = waited.components.seconds
        return EngineError(
            .timeout,
            "no answer from \(Self.summary(identity)) after \(seconds) s while \(what)",
            hint: "the engine took the request but did not finish it: is it overloaded, paused or stuck? "
                + "once it answers again, `swerex-run down` removes whatever was left")
    }

    static func summary(_ identity: EngineIdentity) -> String {
        "\(identity.kind.rawValue) \(identity.runtime) at \(identity.endpoint)"
    }
}

/// Why a bounded call ended without a value.
private enum Ending: Error {
    case answered(EngineError)
    case timedOut
    case interrupted
}

/// The first of several racing results, handed to one waiter.
private final class Outcome<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, Ending>?
        var waiter: CheckedContinuation<Result<Value, Ending>, Never>?
    }

    private let state = Mutex(State())

    /// Keeps `result` unless another came first, and wakes the waiter.
    func settle(_ result: Result<Value, Ending>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<Value, Ending>, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    func value() async -> Result<Value, Ending> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, Ending>? in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// When a pull or build last reported progress.
private final class ProgressWatch: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    func touch() { instant.withLock { $0 = .now } }
    var last: ContinuousClock.Instant { instant.withLock { $0 } }
}
