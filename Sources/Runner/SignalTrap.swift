import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT, SIGTERM and SIGHUP (a closed terminal or ssh session), caught through Dispatch rather
/// than a C handler. The first signal runs the registered reactions (cancel the work, wake the
/// holder); the second runs `onSecond`, which stops waiting for the teardown. Install it before the
/// first engine call, so no container is created by a run that cannot tear it down.
public final class SignalTrap: Sendable {
    private struct State {
        var first: Int32?
        var count = 0
        var reactions: [@Sendable (Int32) -> Void] = []
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let state = Mutex(State())
    private let onSecond: @Sendable (Int32) -> Void
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    /// The signals a run tears down on.
    public static let caught: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Starts catching SIGINT, SIGTERM and SIGHUP.
    /// - Parameter onSecond: runs on a second signal, with the first signal's number.
    public static func install(onSecond: @escaping @Sendable (Int32) -> Void) -> SignalTrap {
        let trap = SignalTrap(onSecond: onSecond)
        let queue = DispatchQueue(label: "swerex-run.signals")
        trap.sources = caught.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [trap] in trap.received(number) }
            source.resume()
            return source
        }
        return trap
    }

    private init(onSecond: @escaping @Sendable (Int32) -> Void) {
        self.onSecond = onSecond
    }

    /// The first signal caught, if any.
    public var firstSignal: Int32? { state.withLock { $0.first } }

    /// 130 after SIGINT, 143 after SIGTERM, 129 after SIGHUP, nil before any signal.
    public var exitStatus: Int32? { firstSignal.map { 128 + $0 } }

    /// Runs `reaction` on the first signal, or at once when it already came.
    public func onFirstSignal(_ reaction: @escaping @Sendable (Int32) -> Void) {
        let already = state.withLock { state -> Int32? in
            if state.first == nil { state.reactions.append(reaction) }
            return state.first
        }
        if let already { reaction(already) }
    }

    /// Suspends until the first signal; returns at once when it already came.
    public func waitForSignal() async -> Int32 {
        await withCheckedContinuation { continuation in
            let already = state.withLock { state -> Int32? in
                if state.first == nil { state.waiters.append(continuation) }
                return state.first
            }
            if let already { continuation.resume(returning: already) }
        }
    }

    private func received(_ number: Int32) {
        let (isFirst, first, reactions, waiters) = state.withLock { state in
            state.count += 1
            guard state.first == nil else {
                return (false, state.first!, [@Sendable (Int32) -> Void](), [CheckedContinuation<Int32, Never>]())
            }
            state.first = number
            defer {
                state.reactions = []
                state.waiters = []
            }
            return (true, number, state.reactions, state.waiters)
        }
        guard isFirst else {
            onSecond(first)
            return
        }
        reactions.forEach { $0(first) }
        waiters.forEach { $0.resume(returning: first) }
    }
}
