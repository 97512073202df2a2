public import ContainerEngine
import Synchronization

/// Pull and build progress for the operator: on a terminal one line rewritten in place, otherwise
/// plain lines, only when a layer's status changes (no byte counters in a log file).
public final class ProgressPrinter: Sendable {
    private let log: RunnerLog
    private let terminal: Bool
    private let lastStatus = Mutex<[String: String]>([:])

    public init(log: RunnerLog, terminal: Bool) {
        self.log = log
        self.terminal = terminal
    }

    /// A reporter for one pull or build, with the image and engine it concerns as its prefix.
    public func reporter(_ prefix: String) -> @Sendable (ProgressEvent) -> Void {
        { [self] event in self.report(prefix, event) }
    }

    /// Ends the rewritten line, if one is open.
    public func finish() {
        guard terminal, log.level >= .normal else { return }
        log.raw("\r\u{1B}[K")
    }

    private func report(_ prefix: String, _ event: ProgressEvent) {
        let layer = event.id.map { "\($0): " } ?? ""
        if terminal && log.level >= .normal {
            var line = "\(prefix): \(layer)\(event.message)"
            if let current = event.current, let total = event.total, total > 0 {
                line += " \(current * 100 / total)%"
            }
            log.raw("\r\u{1B}[K" + String(line.prefix(120)))
            return
        }
        let key = prefix + "|" + (event.id ?? "")
        let changed = lastStatus.withLock { statuses in
            defer { statuses[key] = event.message }
            return statuses[key] != event.message
        }
        guard changed, event.current == nil else { return }
        if event.kind == .build && !event.message.hasPrefix("Step") && !event.message.hasPrefix("#") {
            log.detail("\(prefix): \(layer)\(event.message)")
        } else {
            log.info("\(prefix): \(layer)\(event.message)")
        }
    }
}
