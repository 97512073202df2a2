/// Suggestions for misspelt keys and values, by edit distance.
public enum EditDistance {
    /// Levenshtein distance between two strings, by characters, with a swap of two neighbours
    /// counted as one edit (`imgae` is one edit from `image`).
    public static func between(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    /// The closest candidate, when it is close enough to be what the user meant: a case-insensitive
    /// match, a completion of a truncated word, or one within a third of the word's length (at least two
    /// edits, at most three).
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        if let sameLetters = candidates.first(where: { $0.lowercased() == word.lowercased() }) {
            return sameLetters
        }
        // A truncated word (`--detailed-exit`) is far in edits but plainly meant.
        if word.count >= 4, let completion = candidates.first(where: { $0.lowercased().hasPrefix(word.lowercased()) }) {
            return completion
        }
        let allowed = min(3, max(2, word.count / 3))
        let ranked = candidates.map { (candidate: $0, distance: between(word.lowercased(), $0.lowercased())) }
        guard let best = ranked.min(by: { $0.distance < $1.distance }), best.distance <= allowed else {
            return nil
        }
        return best.candidate
    }

    /// "; did you mean 'x'?" or the empty string.
    public static func hint(for word: String, among candidates: [String]) -> String {
        guard let match = suggestion(for: word, among: candidates) else { return "" }
        return "; did you mean '\(match)'?"
    }
}
