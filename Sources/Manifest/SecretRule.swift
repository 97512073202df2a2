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
        let upper = name.uppercased()
        if fragments.contains(where: upper.contains) { return true }
        let parts = upper.split { $0 == "_" || $0 == "-" || $0 == "." }
        return parts.contains { words.contains(String($0)) }
    }

    /// The name and value of an environment assignment as `docker run` arguments and env files write
    /// it: `NAME=VALUE`, `-eNAME=VALUE`, `-e=NAME=VALUE`, `--env=NAME=VALUE`, `export NAME=VALUE`.
    static func assignment(_ text: Substring) -> (name: Substring, value: Substring)? {
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
            if let (name, value) = assignment(Substring(scalar.text)), looksSecret(name) {
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
        for line in EnvFile.lines(of: text) {
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
