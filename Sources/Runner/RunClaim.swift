import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Which `up` a sandbox belongs to now: the last one that created or kept it. A foreground run
/// removes at its end only the sandboxes whose claim is still its own, so a later `up -d` that kept
/// them is never undone by an earlier run's Ctrl-C.
public struct RunClaim: Sendable, Hashable, Codable {
    /// Random for each run; pids are reused.
    public var run: String
    /// For messages only.
    public var pid: Int32

    /// A claim for this process's run.
    static func fresh() -> RunClaim {
        RunClaim(run: UUID().uuidString.lowercased(), pid: getpid())
    }
}
