public import Diagnostics

/// A `--env-file`: `KEY=VALUE` lines whose values feed `${VAR}` interpolation.
///
/// Blank lines and lines starting with `#` are skipped; `export ` before a key is allowed. A value may be
/// wrapped in single quotes (taken literally) or double quotes (`\n`, `\t`, `\"`, `\\` understood);
/// an unquoted value ends at ` #` and loses trailing spaces. Values are not themselves interpolated.
/// Lines end at `\n`, `\r\n` or a lone `\r`; any other control character but tab is an error.
public enum EnvFile {
    /// The variables in `text`, and a diagnostic for every line that is not `KEY=VALUE`.
    public static func parse(_ text: String, file: String) -> (values: [String: String], diagnostics: [Diagnostic]) {
        var values: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for (offset, line) in lines(of: text).enumerated() {
            let leading = line.prefix { $0 == " " || $0 == "\t" }.count
            let content = line.dropFirst(leading)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if let (column, scalar) = controlCharacter(in: line) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                let message =
                    "control character \(code) in the env file; a line may hold only printable text and tabs "
                    + "(write \\n, \\t or \\r inside double quotes)"
                diagnostics.append(.error(message, at: SourceLocation(file: file, line: offset + 1, column: column)))
                continue
            }
            let location = SourceLocation(file: file, line: offset + 1, column: leading + 1)
            switch entry(content) {
            case .success(let (key, value)):
                values[key] = value
            case .failure(let problem):
                diagnostics.append(.error(problem.message, at: location))
            }
        }
        return (values, diagnostics)
    }

    /// The lines of `text` without their breaks: `\n`, `\r\n` and a lone `\r` each end a line (in Swift
    /// `\r\n` is one character, so splitting on `\n` alone would keep a CRLF file on one line).
    static func lines(of text: String) -> [Substring] {
        // The breaks are ASCII, so their bytes stand for them in UTF-8, and every cut falls between
        // scalars.
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while let found = utf8[index...].firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            lines.append(text[start..<found])
            index = utf8.index(after: found)
            if utf8[found] == UInt8(ascii: "\r"), index < utf8.endIndex, utf8[index] == UInt8(ascii: "\n") {
                index = utf8.index(after: index)
            }
            start = index
        }
        lines.append(text[start...])
        return lines
    }

    /// The 1-based column and the scalar of the first control character other than tab.
    private static func controlCharacter(in line: Substring) -> (Int, Unicode.Scalar)? {
        for (offset, character) in line.enumerated() {
            let control = character.unicodeScalars.first { $0 != "\t" && $0.properties.generalCategory == .control }
            if let control { return (offset + 1, control) }
        }
        return nil
    }

    private struct Problem: Error {
        var message: String
    }

    private static func entry(_ content: Substring) -> Result<(String, String), Problem> {
        var body = content
        if body.hasPrefix("export ") { body = body.dropFirst("export ".count) }
        guard let equals = body.firstIndex(of: "=") else {
            return .failure(Problem(message: "expected KEY=VALUE in the env file"))
        }
        let key = String(body[..<equals]).trimmingSpaces()
        guard isVariableName(key) else {
            return .failure(
                Problem(message: "'\(key)' is not a variable name (letters, digits and '_', not starting with a digit)")
            )
        }
        let rawValue = body[body.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
        return value(rawValue).map { (key, $0) }
    }

    private static func value(_ raw: Substring) -> Result<String, Problem> {
        guard let quote = raw.first, quote == "\"" || quote == "'" else {
            var text = raw
            if let comment = text.indices.first(where: {
                text[$0] == "#" && $0 > text.startIndex
                    && (text[text.index(before: $0)] == " " || text[text.index(before: $0)] == "\t")
            }) {
                text = text[..<comment]
            }
            return .success(String(text).trimmingSpaces())
        }
        var out = ""
        var index = raw.index(after: raw.startIndex)
        while index < raw.endIndex {
            let character = raw[index]
            if character == quote {
                let rest = raw[raw.index(after: index)...].trimmingPrefixSpaces()
                guard rest.isEmpty || rest.hasPrefix("#") else {
                    return .failure(Problem(message: "unexpected text after the closing quote"))
                }
                return .success(out)
            }
            if quote == "\"", character == "\\", raw.index(after: index) < raw.endIndex {
                index = raw.index(after: index)
                switch raw[index] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(raw[index])
                }
            } else {
                out.append(character)
            }
            index = raw.index(after: index)
        }
        return .failure(Problem(message: "the value's quote \(quote) is not closed on this line"))
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(trimmingPrefixSpaces().reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    func trimmingPrefixSpaces() -> SubSequence {
        drop { $0 == " " || $0 == "\t" }
    }
}
