/// Renders diagnostics compiler-style: `file:line:col: error: message`, the source line, a caret.
public struct DiagnosticRenderer: Sendable {
    /// The files diagnostics may point into, by name.
    public var sources: [String: SourceFile]
    /// Whether to colour the severity with ANSI escapes (only on a terminal, never with NO_COLOR).
    public var colour: Bool
    /// Secret values, shown as `<redacted>` in messages and quoted lines.
    public var redaction: SecretRedaction

    /// - Parameter secrets: values never to print, such as the manifest's tokens and passwords.
    public init(sources: [SourceFile] = [], colour: Bool = false, secrets: Set<String> = []) {
        self.sources = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.colour = colour
        self.redaction = SecretRedaction(secrets)
    }

    public mutating func add(_ source: SourceFile) {
        sources[source.name] = source
    }

    /// The whole text for one diagnostic and its notes, ending in a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = header(diagnostic) + "\n"
        if let location = diagnostic.location, let line = sources[location.file]?.line(location.line) {
            let redacted = redaction.apply(to: line, column: location.column)
            let (shown, column) = Self.window(of: redacted.text, around: redacted.column)
            out += shown + "\n"
            out += caretLine(under: shown, column: column) + "\n"
        }
        for note in diagnostic.notes {
            out += render(note)
        }
        return out
    }

    public func render(_ list: DiagnosticList) -> String {
        list.diagnostics.map(render).joined()
    }

    private func header(_ diagnostic: Diagnostic) -> String {
        let severity = styled(diagnostic.severity)
        let message = redaction.apply(to: diagnostic.message)
        guard let location = diagnostic.location else { return "\(severity): \(message)" }
        return "\(location): \(severity): \(message)"
    }

    private func styled(_ severity: Diagnostic.Severity) -> String {
        guard colour else { return severity.rawValue }
        let code =
            switch severity {
            case .error: "31"
            case .warning: "33"
            case .note: "36"
            }
        return "\u{1B}[1;\(code)m\(severity.rawValue)\u{1B}[0m"
    }

    /// Lines longer than this are quoted in part, around the column.
    static let widestQuote = 160

    /// The part of a long line worth quoting, with `...` where it was cut, and the column within it.
    static func window(of line: String, around column: Int) -> (String, Int) {
        let characters = Array(line)
        guard characters.count > widestQuote else { return (line, column) }
        let start = max(0, min(column - 1 - widestQuote / 2, characters.count - widestQuote))
        let end = min(characters.count, start + widestQuote)
        let lead = start > 0 ? "..." : ""
        let tail = end < characters.count ? "..." : ""
        return (lead + String(characters[start..<end]) + tail, column - start + lead.count)
    }

    /// Spaces up to the column (tabs kept as tabs so the caret lines up), then `^`.
    private func caretLine(under line: String, column: Int) -> String {
        let prefix = line.prefix(max(column - 1, 0)).map { $0 == "\t" ? "\t" : " " }.joined()
        return prefix + "^"
    }
}
