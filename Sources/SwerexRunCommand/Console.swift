import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Standard output or error, written in whole strings.
struct Console: Sendable {
    let descriptor: Int32

    static let standardOutput = Console(descriptor: STDOUT_FILENO)
    static let standardError = Console(descriptor: STDERR_FILENO)

    /// Writes all of `text`, or stops at the first error: with SIGPIPE ignored, a reader that went
    /// away (EPIPE) or a terminal that closed (EIO) only ends the output, never the run.
    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            bytes = bytes.dropFirst(count)
        }
    }

    var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Colour only on a terminal that is not `TERM=dumb`, and only when NO_COLOR is unset or empty.
    func wantsColour(environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
