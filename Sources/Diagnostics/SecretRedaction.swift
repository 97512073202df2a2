/// Replaces secret values with `<redacted>` in text a diagnostic shows: its message and the source
/// line it quotes, keeping the caret on the same place.
///
/// A secret is replaced where it stands as a whole: not where it is only part of a longer word, so that
/// a short secret such as `pw` does not blank out `pwd` in every quoted line.
public struct SecretRedaction: Sendable {
    public static let replacement = "<redacted>"

    /// The secrets by length, longest first (so that a secret containing another is replaced whole):
    /// a line is searched by looking up its substrings of each length, so that many secrets cost little.
    private let secretsByLength: [(length: Int, secrets: Set<String>)]

    public init(_ secrets: Set<String>) {
        let grouped = Dictionary(grouping: secrets.filter { !$0.isEmpty }, by: \.count)
        self.secretsByLength = grouped.map { ($0.key, Set($0.value)) }.sorted { $0.length > $1.length }
    }

    public var isEmpty: Bool { secretsByLength.isEmpty }

    /// `text` with every secret in it replaced.
    public func apply(to text: String) -> String {
        apply(to: text, column: 1).text
    }

    /// `line` with every secret in it replaced, and where the 1-based `column` moved to: after a
    /// replacement before it, shifted by the difference in length; inside a replaced secret, the start of
    /// `<redacted>`.
    public func apply(to line: String, column: Int) -> (text: String, column: Int) {
        guard !isEmpty else { return (line, column) }
        let characters = Array(line)
        var out: [Character] = []
        var movedColumn: Int?
        var index = 0
        while index < characters.count {
            let length = match(in: characters, at: index)
            if length > 0 {
                if movedColumn == nil, column - 1 < index + length { movedColumn = out.count + 1 }
                out += Self.replacement
                index += length
            } else {
                if movedColumn == nil, column - 1 <= index { movedColumn = out.count + 1 }
                out.append(characters[index])
                index += 1
            }
        }
        return (String(out), movedColumn ?? column - characters.count + out.count)
    }

    /// The length of the longest secret standing whole at `index`, or 0.
    private func match(in characters: [Character], at index: Int) -> Int {
        for (length, secrets) in secretsByLength where index + length <= characters.count {
            let end = index + length
            let candidate = characters[index..<end]
            guard secrets.contains(String(candidate)) else { continue }
            let joinedBefore = index > 0 && Self.isWord(characters[index]) && Self.isWord(characters[index - 1])
            let joinedAfter = end < characters.count && Self.isWord(characters[end - 1]) && Self.isWord(characters[end])
            if !joinedBefore && !joinedAfter { return length }
        }
        return 0
    }

    private static func isWord(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
