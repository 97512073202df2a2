/// Suggestions for misspelt keys and values, by edit distance.
enum EditDistance {
    /// Levenshtein distance between two strings, by characters.
    static func between(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The closest candidate, when it is close enough to be what the user meant: a case-insensitive
    /// match, or one within a third of the word's length (at least one edit, at most three).
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        if let sameLetters = candidates.first(where: { $0.lowercased() == word.lowercased() }) {
            return sameLetters
        }
        let allowed = min(3, max(1, word.count / 3))
        let ranked = candidates.map { (candidate: $0, distance: between(word.lowercased(), $0.lowercased())) }
        guard let best = ranked.min(by: { $0.distance < $1.distance }), best.distance <= allowed else {
            return nil
        }
        return best.candidate
    }

    /// "; did you mean 'x'?" or the empty string.
    static func hint(for word: String, among candidates: [String]) -> String {
        guard let match = suggestion(for: word, among: candidates) else { return "" }
        return "; did you mean '\(match)'?"
    }
}
