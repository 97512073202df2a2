import YAMLDocument

/// Which values are secret: those given to a variable whose name looks secret, wherever a manifest or
/// an env file gives them (a `docker_env` key, an `-e NAME=VALUE` in `docker_args`, any mapping key, an
/// env file line). `config` prints them as `<redacted>`, and diagnostics never quote them.
enum SecretRule {
    /// A name holding one of these anywhere is secret: `GITHUB_TOKEN`, `my_api_key`, `DB_PASSWD`.
    static let fragments = ["TOKEN", "PASSWORD", "PASSWD", "SECRET", "KEY", "CREDENTIAL"]
    /// A name holding one of these as a whole word between `_`, `-` or `.` is secret: `GITHUB_PAT`,
    /// `DOCKER_AUTH_CONFIG`, but not `PATH` or `AUTHOR`.
    static let words = ["AUTH", "PAT"]

    static func looksSecret(_ name: some StringProtocol) -> Bool {
        if let ascii = looksSecretASCII(name) { return ascii }
        let upper = name.uppercased()
        if fragments.contains(where: upper.contains) { return true }
        let parts = upper.split { $0 == "_" || $0 == "-" || $0 == "." }
        return parts.contains { words.contains(String($0)) }
    }

    /// `looksSecret` for a plain ASCII name, on its bytes (every mapping key and many words of a file
    /// go through it); nil for any other name.
    private static func looksSecretASCII(_ name: some StringProtocol) -> Bool? {
        name.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            switch scanForNeedles(bytes) {
            case .notASCII: return nil
            case .absent: return false
            case .present: break
            }
            if asciiNeedles.fragments.contains(where: { containsIgnoringCase(bytes, $0) }) { return true }
            for part in bytes.split(whereSeparator: {
                $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            }) {
                let part = UnsafeBufferPointer(rebasing: part)
                if asciiNeedles.words.contains(where: { $0.count == part.count && containsIgnoringCase(part, $0) }) {
                    return true
                }
            }
            return false
        } ?? nil
    }

    /// The fragments and words as ASCII capitals.
    private static let asciiNeedles = (fragments: fragments.map { Array($0.utf8) }, words: words.map { Array($0.utf8) })

    private static let lineNeedles = asciiNeedles.fragments + asciiNeedles.words
    /// By byte: whether a needle starts with it, in either case.
    private static let startsNeedle: [Bool] = (0...255).map { byte in
        lineNeedles.contains { $0.first == uppercase(UInt8(byte)) }
    }

    /// Whether `bytes`, in capitals, hold `needle` (ASCII capitals).
    private static func containsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { matches(bytes, at: $0, needle) }
    }

    /// Whether `bytes` from `start`, in capitals, begin with `needle` (ASCII capitals).
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: [UInt8]) -> Bool {
        guard start + needle.count <= bytes.count else { return false }
        var index = 0
        while index < needle.count, uppercase(bytes[start + index]) == needle[index] { index += 1 }
        return index == needle.count
    }

    private static func uppercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }

    /// Whether a text can name a secret at all: every name `looksSecret` accepts holds a fragment or a
    /// word and is part of the text, so a plain ASCII text with none of them, in any case, is skipped
    /// unread.
    private static func mayNameSecret(_ text: some StringProtocol) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { scanForNeedles($0) != .absent } ?? true
    }

    private enum NeedleScan {
        case notASCII, absent, present
    }

    /// Whether ASCII bytes hold a fragment or a word in any case, in one pass.
    private static func scanForNeedles(_ bytes: UnsafeBufferPointer<UInt8>) -> NeedleScan {
        let startsNeedle = startsNeedle
        var found = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte >= 0x80 { return .notASCII }
            if !found, startsNeedle[Int(byte)], lineNeedles.contains(where: { matches(bytes, at: index, $0) }) {
                found = true
            }
        }
        return found ? .present : .absent
    }

    /// The name and value of an environment assignment as `docker run` arguments and env files write
    /// it: `NAME=VALUE`, `-eNAME=VALUE`, `-e=NAME=VALUE`, `--env=NAME=VALUE`, `export NAME=VALUE`.
    static func assignment(_ text: Substring) -> (name: Substring, value: Substring)? {
        // Without an `=` byte there is no `=` character: most scalars end here.
        guard text.utf8.contains(UInt8(ascii: "=")) else { return nil }
        var body = text
        for prefix in ["--env=", "-e=", "export ", "-e"] where body.hasPrefix(prefix) {
            body = body.dropFirst(prefix.count)
            break
        }
        guard let equals = body.firstIndex(of: "=") else { return nil }
        let name = body[..<equals].drop { $0 == " " }
        let trimmedName = name.prefix { $0 != " " }
        guard trimmedName.count == name.count || name.dropFirst(trimmedName.count).allSatisfy({ $0 == " " }),
            EnvFile.isVariableName(String(trimmedName))
        else { return nil }
        return (trimmedName, body[body.index(after: equals)...])
    }

    /// Every secret value in a document: values of secret-looking mapping keys and of secret-looking
    /// assignments in any string.
    static func collect(from node: YAMLNode, into secrets: inout Set<String>) {
        switch node.content {
        case .scalar(let scalar):
            if mayNameSecret(scalar.text), let (name, value) = assignment(Substring(scalar.text)), looksSecret(name) {
                insert(value, into: &secrets)
            }
        case .sequence(let items):
            for item in items { collect(from: item, into: &secrets) }
        case .mapping(let pairs):
            for pair in pairs {
                if let key = pair.key.plainKey, looksSecret(key), !pair.value.isNull,
                    case .scalar(let scalar) = pair.value.content
                {
                    insert(Substring(scalar.text), into: &secrets)
                }
                collect(from: pair.value, into: &secrets)
            }
        }
    }

    /// Secret-looking values in raw text, line by line: `NAME: VALUE`, `NAME=VALUE` and the argument forms
    /// of `assignment`. This finds them where a file's tree is not at hand (a YAML syntax error, an env
    /// file line in error), as written in the line a diagnostic would quote.
    static func scan(_ text: String, into secrets: inout Set<String>) {
        // Each line is part of the text: without a secret word anywhere, no line has one.
        guard mayNameSecret(text) else { return }
        for line in EnvFile.lines(of: text) where mayNameSecret(line) {
            var content = line.trimmingPrefixSpaces()
            while content.hasPrefix("- ") { content = content.dropFirst(2).trimmingPrefixSpaces() }
            if let (name, value) = assignment(content), looksSecret(name) {
                insert(plainValue(value), into: &secrets)
            }
            if let colon = content.firstIndex(of: ":") {
                let key = content[..<colon].trimmingCharacters(in: "\"' ")
                let value = content[content.index(after: colon)...]
                if looksSecret(key), value.first == " " || value.first == "\t" {
                    insert(plainValue(value), into: &secrets)
                }
            }
            scanWords(content, into: &secrets)
        }
    }

    /// The words of a line split at spaces, commas, brackets and quotes: `NAME=VALUE` forms, and
    /// `NAME:` followed by a value up to the next `,` or `}` (flow mappings such as `{API_TOKEN: x}`).
    private static func scanWords(_ line: Substring, into secrets: inout Set<String>) {
        for word in line.split(whereSeparator: { " \t,[]{}\"'".contains($0) }) {
            if let (name, value) = assignment(word), looksSecret(name) {
                insert(value, into: &secrets)
            } else if word.hasSuffix(":"), looksSecret(word.dropLast()) {
                let rest = line[word.endIndex...]
                insert(plainValue(rest.prefix { $0 != "," && $0 != "}" }), into: &secrets)
            }
        }
    }

    /// A value as written on a line: without a trailing ` #` comment, surrounding spaces or quotes.
    private static func plainValue(_ value: Substring) -> Substring {
        var text = value.trimmingPrefixSpaces()
        if let comment = text.range(of: " #") { text = text[..<comment.lowerBound] }
        text = Substring(text.trimmingSpaces())
        if let first = text.first, first == "\"" || first == "'" {
            text = text.dropFirst()
            if text.last == first { text = text.dropLast() }
        }
        return text
    }

    /// Adds a value and, for one over several lines, each line of it. Values that would hide unrelated
    /// text wherever they stand (one or two characters, or a YAML boolean such as `true`) are left out,
    /// and so are values that substitute a variable (`Bearer ${TOKEN}`, or one whose substitution
    /// failed): the error at its `$` must show it, and the substituted value is collected on its own.
    static func insert(_ value: Substring, into secrets: inout Set<String>) {
        guard !value.contains("${") else { return }
        let pieces = [value] + (value.contains(where: \.isNewline) ? value.split(whereSeparator: \.isNewline) : [])
        for piece in pieces {
            let text = String(piece).trimmingSpaces()
            guard text.count > 2, !["true", "false", "yes", "no", "null"].contains(text.lowercased()) else { continue }
            secrets.insert(text)
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text
    }
}
