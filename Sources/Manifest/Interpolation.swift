/// Substitutes `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}` and
/// `$$` in a scalar's text, as Compose files do. A `$` followed by anything else stays as written, so
/// shell snippets in `docker_args` or `exec_shell` that use `$HOME` keep working.
struct Interpolator: Sendable {
    /// What went wrong, and the character offset of the `$` that started it.
    struct Failure: Error, Sendable, Hashable {
        var message: String
        var offset: Int
    }

    var variables: [String: String]

    init(variables: [String: String]) {
        self.variables = variables
    }

    /// The text with every substitution applied.
    func apply(_ text: String) throws(Failure) -> String {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var cursor = Cursor(Array(text), base: 0)
        return try expand(&cursor, until: nil)
    }

    private struct Cursor {
        var characters: [Character]
        var index = 0
        /// The offset of `characters[0]` in the scalar, for error positions in nested defaults.
        var base: Int

        init(_ characters: [Character], base: Int) {
            self.characters = characters
            self.base = base
        }

        var atEnd: Bool { index >= characters.count }
        var current: Character? { atEnd ? nil : characters[index] }
        func peek(_ ahead: Int = 1) -> Character? {
            index + ahead < characters.count ? characters[index + ahead] : nil
        }
    }

    /// Expands up to `terminator` (not consumed) or the end.
    private func expand(_ cursor: inout Cursor, until terminator: Character?) throws(Failure) -> String {
        var out = ""
        while let character = cursor.current, character != terminator {
            guard character == "$" else {
                out.append(character)
                cursor.index += 1
                continue
            }
            switch cursor.peek() {
            case "$":
                out.append("$")
                cursor.index += 2
            case "{":
                out += try substitution(&cursor)
            default:
                out.append("$")
                cursor.index += 1
            }
        }
        return out
    }

    /// One `${...}` starting at the cursor's `$`.
    private func substitution(_ cursor: inout Cursor) throws(Failure) -> String {
        let start = cursor.index
        let offset = cursor.base + start
        let end = try braceBody(cursor.characters, openingAt: start + 1, offset: offset)
        cursor.index = end + 1
        let inner = Array(cursor.characters[(start + 2)..<end])
        let nameEnd = inner.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) } ?? inner.count
        let name = String(inner[..<nameEnd])
        guard let first = name.first else {
            throw Failure(message: "'${...}' needs a variable name", offset: offset)
        }
        guard !first.isNumber else {
            throw Failure(message: "'\(name)' is not a variable name: it starts with a digit", offset: offset)
        }
        let rest = Array(inner[nameEnd...])
        let restBase = cursor.base + start + 2 + nameEnd
        return try resolve(name, operation: rest, restBase: restBase, offset: offset)
    }

    private func resolve(
        _ name: String,
        operation rest: [Character],
        restBase: Int,
        offset: Int
    ) throws(Failure) -> String {
        let value = variables[name]
        guard let operatorCharacter = rest.first else {
            guard let value else {
                throw Failure(
                    message: "variable '\(name)' is not set and has no default: set it, give it in an "
                        + "--env-file, or write ${\(name):-default}",
                    offset: offset
                )
            }
            return value
        }
        guard ":-?".contains(operatorCharacter) else {
            throw Failure(message: "'\(operatorCharacter)' cannot appear in a variable name", offset: offset)
        }
        let colon = operatorCharacter == ":"
        let symbolIndex = colon ? 1 : 0
        let symbol = symbolIndex < rest.count ? rest[symbolIndex] : nil
        let argument = Array(rest[min(symbolIndex + 1, rest.count)...])
        let missing = value == nil || (colon && value == "")
        switch symbol {
        case "-":
            guard missing else { return value ?? "" }
            var nested = Cursor(argument, base: restBase + symbolIndex + 1)
            return try expand(&nested, until: nil)
        case "?":
            guard missing else { return value ?? "" }
            var nested = Cursor(argument, base: restBase + symbolIndex + 1)
            let text = try expand(&nested, until: nil)
            let condition = colon ? "is unset or empty" : "is not set"
            let message = text.isEmpty ? "variable '\(name)' \(condition)" : "variable '\(name)' \(condition): \(text)"
            throw Failure(message: message, offset: offset)
        default:
            let written = String(rest.prefix(colon ? 2 : 1))
            throw Failure(
                message: "'\(written)' after '${\(name)' is not supported; use ':-', '-', ':?' or '?'",
                offset: offset
            )
        }
    }

    /// The index of the `}` that closes the brace at `open`, counting nested `${`.
    private func braceBody(
        _ characters: [Character],
        openingAt open: Int,
        offset: Int
    ) throws(Failure) -> Int {
        var depth = 0
        var index = open
        while index < characters.count {
            let character = characters[index]
            if character == "$", index + 1 < characters.count, characters[index + 1] == "$" {
                index += 2
                continue
            }
            if character == "{" {
                depth += 1
            } else if character == "}" {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        throw Failure(message: "'${' is not closed with '}'", offset: offset)
    }
}
