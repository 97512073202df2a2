import Foundation

/// The operator's log: what the run is doing, on stderr, one plain line each. Never holds a token.
public final class RunnerLog: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case quiet = 0, normal = 1, verbose = 2

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let level: Level
    private let sink: @Sendable (String) -> Void
    private let lock = NSLock()

    /// - Parameters:
    ///   - level: `-q` → quiet (errors only), default → normal, `-v` → verbose.
    ///   - sink: where lines go; standard error by default.
    public init(level: Level = .normal, sink: (@Sendable (String) -> Void)? = nil) {
        self.level = level
        self.sink = sink ?? { line in FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// A step an operator follows: an engine chosen, a container created or removed, a wait finished.
    public func info(_ message: @autoclosure () -> String) {
        guard level >= .normal else { return }
        emit(message())
    }

    /// Detail for `-v`: each probe, each engine call's timing.
    public func detail(_ message: @autoclosure () -> String) {
        guard level >= .verbose else { return }
        emit(message())
    }

    public func warning(_ message: String) {
        emit("warning: " + message)
    }

    public func error(_ message: String) {
        emit("error: " + message)
    }

    /// Text as it is, without a line break: for a progress line rewritten in place.
    func raw(_ text: String) {
        lock.withLock { sink(text) }
    }

    private func emit(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        lock.withLock { sink(line) }
    }
}
