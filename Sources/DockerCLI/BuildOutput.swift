/// Finds the image id in what `docker build` or `podman build` printed.
///
/// The CLIs print it in several forms: a line holding only `sha256:<64 hex>` (docker -q) or 64 bare
/// hex digits (podman's last line), `writing image sha256:<hex>` (BuildKit), `Successfully built
/// <12 hex>` (docker's legacy builder, a short id), and `--> <id>` (podman, after each step).
enum BuildOutput {
    /// The id the build produced, as printed: `sha256:<hex>` when it is complete, otherwise bare hex,
    /// possibly short, which only `image inspect` can expand.
    /// - Parameter text: the build's stdout and stderr, in any order.
    /// - Returns: nil when no line carries an id.
    static func imageID(in text: String) -> String? {
        var found: [Int: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            guard let last = words.last.map(String.init) else { continue }
            if words.count == 1, isFullID(last) {
                found[0] = last
            } else if line.contains("writing image "), let word = words.first(where: { isFullID(String($0)) }) {
                found[1] = String(word)
            } else if words.starts(with: ["Successfully", "built"]), isShortID(last) {
                found[2] = last
            } else if words.first == "-->", isShortID(last) {
                found[3] = last
            }
        }
        return found.min { $0.key < $1.key }.map { canonical($0.value) }
    }

    /// Whether `text` is a complete id: `sha256:` followed by 64 hex digits, or 64 hex digits.
    static func isFullID(_ text: String) -> Bool {
        let hex = text.hasPrefix("sha256:") ? Substring(text.dropFirst(7)) : Substring(text)
        return hex.count == 64 && isHex(hex)
    }

    /// `sha256:<64 hex>` for a complete id; anything else unchanged.
    static func canonical(_ id: String) -> String {
        isFullID(id) && !id.hasPrefix("sha256:") ? "sha256:\(id)" : id
    }

    private static func isShortID(_ text: String) -> Bool {
        isFullID(text) || (text.count >= 12 && text.count <= 64 && isHex(Substring(text)))
    }

    private static func isHex(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
