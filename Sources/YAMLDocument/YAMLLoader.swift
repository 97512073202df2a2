// The YAMLDocument module; see Package.swift for its place in the data path.
public import Diagnostics

/// Loads YAML text into document trees (libyaml's event API underneath).
public enum YAMLLoader {
    /// Every document in the stream; an empty document is nil.
    ///
    /// A stream with no document at all (empty, or only comments) gives an empty array.
    /// - Throws: the first syntax or structure error, located in `file`.
    public static func load(
        _ text: String,
        file: String,
        limits: YAMLLimits = YAMLLimits()
    ) throws(Diagnostic) -> [YAMLNode?] {
        try checkSize(text, file: file, limits: limits)
        let parser = try LibYAMLParser(text, file: file)
        var strictSyntax = StrictSyntax(text, file: file)
        var documents: [YAMLNode?] = []
        var builder: TreeBuilder?
        while true {
            let event = try parser.next()
            try strictSyntax.inspect(event)
            switch event.kind {
            case .documentStart:
                builder = TreeBuilder(limits: limits)
            case .documentEnd:
                documents.append(builder?.document() ?? nil)
                builder = nil
            case .streamEnd:
                return documents
            default:
                try builder?.add(event)
            }
        }
    }

    /// libyaml's events for `text` in the YAML test suite's `test.event` notation (`+STR`, `+DOC ---`,
    /// `=VAL :text`...), up to the first error; for finding out what libyaml itself made of an input.
    /// - Returns: the event lines, and the error that stopped the stream, if any.
    public static func eventTrace(_ text: String, file: String) -> (events: [String], error: Diagnostic?) {
        var lines: [String] = []
        do {
            let parser = try LibYAMLParser(text, file: file)
            while true {
                let event = try parser.next()
                lines.append(event.traceLine)
                if case .streamEnd = event.kind { return (lines, nil) }
            }
        } catch {
            return (lines, error)
        }
    }

    private static func checkSize(_ text: String, file: String, limits: YAMLLimits) throws(Diagnostic) {
        let size = text.utf8.count
        guard size <= limits.maxInputBytes else {
            throw Diagnostic.error(
                "input is \(size) bytes, more than the limit of \(limits.maxInputBytes) bytes "
                    + "(YAMLLimits.maxInputBytes)",
                at: SourceLocation(file: file, line: 1, column: 1)
            )
        }
    }
}
