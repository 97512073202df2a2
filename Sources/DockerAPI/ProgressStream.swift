import ContainerEngine
import Foundation
import Synchronization

/// Reads the newline-separated JSON messages of a pull or build response as the chunks arrive,
/// reports each as a `ProgressEvent`, and remembers the first error and the built image's id.
///
/// The transport calls ``receive(_:)`` from its own thread, one chunk at a time.
final class ProgressStream: Sendable {
    struct Outcome: Sendable {
        /// The first error found inside the stream.
        var error: String?
        /// The image id from an `aux` message (`sha256:...`).
        var imageID: String?
        /// The short id from the classic builder's `Successfully built` line, for daemons without `aux`.
        var builtShortID: String?
        var eventCount = 0
    }

    private struct State {
        var pending: [UInt8] = []
        var outcome = Outcome()
    }

    private let kind: ProgressEvent.Kind
    private let progress: @Sendable (ProgressEvent) -> Void
    private let state = Mutex(State())

    init(kind: ProgressEvent.Kind, progress: @escaping @Sendable (ProgressEvent) -> Void) {
        self.kind = kind
        self.progress = progress
    }

    /// Takes the next chunk of the body; complete lines are decoded and reported at once.
    func receive(_ chunk: [UInt8]) {
        let lines = state.withLock { state -> [ArraySlice<UInt8>] in
            state.pending += chunk
            guard let lastNewline = state.pending.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
            let complete = state.pending[...lastNewline]
            state.pending.removeSubrange(...lastNewline)
            return complete.split(separator: UInt8(ascii: "\n"))
        }
        lines.forEach(handle)
    }

    /// What the stream said, once it has ended; a last line without a newline is read too.
    func finish() -> Outcome {
        let rest = state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
        handle(rest[...])
        return state.withLock { $0.outcome }
    }

    private static let decoder = JSONDecoder()

    private func handle(_ line: ArraySlice<UInt8>) {
        let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
        guard !trimmed.isEmpty else { return }
        guard let message = try? Self.decoder.decode(StreamMessage.self, from: Data(trimmed)) else {
            // Not JSON: pass it on as text rather than lose what the engine said.
            report(ProgressEvent(kind: kind, message: String(decoding: trimmed, as: UTF8.self)))
            return
        }
        state.withLock { state in
            if let error = message.errorMessage, state.outcome.error == nil { state.outcome.error = error }
            if let imageID = message.aux?.imageID { state.outcome.imageID = imageID }
            if let text = message.stream, let shortID = Self.builtShortID(in: text) {
                state.outcome.builtShortID = shortID
            }
        }
        guard message.errorMessage == nil, let text = message.text else { return }
        report(
            ProgressEvent(
                kind: kind, id: message.id, message: text,
                current: message.progressDetail?.current, total: message.progressDetail?.total))
    }

    private func report(_ event: ProgressEvent) {
        state.withLock { $0.outcome.eventCount += 1 }
        progress(event)
    }

    private static func builtShortID(in text: String) -> String? {
        let prefix = "Successfully built "
        guard text.hasPrefix(prefix) else { return nil }
        let id = text.dropFirst(prefix.count).prefix { $0.isHexDigit }
        return id.isEmpty ? nil : String(id)
    }
}
