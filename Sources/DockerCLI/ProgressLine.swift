internal import ContainerEngine
internal import Foundation

/// Turns a line of `pull` or `build` output into a progress event.
enum ProgressLine {
    /// A pull line: `<layer>: <status>` carries a layer id.
    static func pull(_ line: String) -> ProgressEvent {
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2, parts[0].count == 12, parts[0].allSatisfy(\.isHexDigit) {
            return ProgressEvent(
                kind: .pull, id: String(parts[0]), message: parts[1].trimmingCharacters(in: .whitespaces))
        }
        return ProgressEvent(kind: .pull, message: line)
    }

    /// A build line: docker's `Step 2/5 : …` and podman's `STEP 2/5: …` carry the step.
    static func build(_ line: String) -> ProgressEvent {
        let words = line.split(separator: " ", maxSplits: 2)
        if words.count >= 2, words[0] == "Step" || words[0] == "STEP" {
            let step = words[1].trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            if step.contains("/") { return ProgressEvent(kind: .build, id: step, message: line) }
        }
        return ProgressEvent(kind: .build, message: line)
    }
}
