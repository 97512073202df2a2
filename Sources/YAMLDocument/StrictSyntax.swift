import Diagnostics

/// Rules of YAML 1.2 that libyaml 0.2.5 does not enforce, checked over its events and the source lines:
/// directives after a document not closed by `...`, a `#` glued to the token before it, continuation lines
/// of a flow collection or quoted scalar indented no deeper than their block, and a lone `-` in a flow.
///
/// Each rule only rejects; none changes what a valid document means. Where the text does not show a block's
/// indentation plainly, the indentation rule is skipped rather than guessed.
struct StrictSyntax {
    /// A collection still open; for a block one, the column of its indicator once known (0-based).
    private struct Open {
        var isFlow: Bool
        var isMapping: Bool
        var startLine: Int
        /// nil until its first entry is seen; -1 when the text does not show it.
        var indent: Int?
    }

    private let file: String
    private let lines: SourceLines
    private var open: [Open] = []
    private var previousEndWasImplicit = false
    private var previousEndLine = 0

    init(_ text: String, file: String) {
        self.file = file
        self.lines = SourceLines(text)
    }

    /// - Throws: the first rule the event breaks.
    mutating func inspect(_ event: YAMLEvent) throws(Diagnostic) {
        switch event.kind {
        case .documentStart(_, let directives, let version):
            try checkDirectives(event, directives: directives, version: version)
        case .documentEnd(let explicit):
            previousEndWasImplicit = !explicit
            previousEndLine = event.end.line
        case .sequenceStart(_, _, let flow), .mappingStart(_, _, let flow):
            entryStarts(at: event.location)
            var isMapping = false
            if case .mappingStart = event.kind { isMapping = true }
            open.append(Open(isFlow: flow, isMapping: isMapping, startLine: event.location.line))
        case .scalar(let scalar, _, _):
            entryStarts(at: event.location)
            try checkScalar(scalar, event)
            if inFlow { try checkCommaComment(after: event.end) }
        case .alias:
            entryStarts(at: event.location)
            if inFlow { try checkCommaComment(after: event.end) }
        case .sequenceEnd, .mappingEnd:
            let closed = open.removeLast()
            guard closed.isFlow else { return }
            try checkGluedComment(at: event.end)
            if inFlow {
                try checkCommaComment(after: event.end)
            } else {
                try checkContinuation(from: closed.startLine, to: event.end.line, skippingComments: true)
            }
        case .streamStart, .streamEnd:
            break
        }
    }

    private var inFlow: Bool { open.last?.isFlow ?? false }

    private func location(line: Int, index: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: index + 1)
    }

    private func character(line: Int, index: Int) -> Unicode.Scalar? {
        lines.character(line: line, index: index)
    }

    // MARK: Directives

    private func checkDirectives(_ event: YAMLEvent, directives: Bool, version: Bool) throws(Diagnostic) {
        if directives && previousEndWasImplicit {
            throw Diagnostic.error(
                "directives (%YAML, %TAG) after a document need that document closed by a '...' line first",
                at: event.location
            )
        }
        guard version else { return }
        for line in max(previousEndLine, 1)...min(event.location.line, lines.count) {
            let isVersion = "%YAML".unicodeScalars.enumerated().allSatisfy {
                character(line: line, index: $0.offset) == $0.element
            }
            guard isVersion else { continue }
            try checkCommentSpacing(line: line, from: 0, to: lines.length(line: line))
        }
    }

    // MARK: Comments

    private func checkCommentSpacing(line: Int, from start: Int, to end: Int) throws(Diagnostic) {
        for index in max(start, 1)..<max(end, 1) where character(line: line, index: index) == "#" {
            let before = character(line: line, index: index - 1)
            if before != " " && before != "\t" { throw gluedComment(line: line, index: index) }
        }
    }

    private func gluedComment(line: Int, index: Int) -> Diagnostic {
        Diagnostic.error(
            "a comment needs a space or tab before its '#'",
            at: location(line: line, index: index)
        )
    }

    /// Right after a closing quote or bracket, `#` would start a comment with no space before it.
    private func checkGluedComment(at end: SourceLocation) throws(Diagnostic) {
        if character(line: end.line, index: end.column - 1) == "#" {
            throw gluedComment(line: end.line, index: end.column - 1)
        }
    }

    /// In a flow collection, `,#` glues a comment to the comma.
    private func checkCommaComment(after end: SourceLocation) throws(Diagnostic) {
        var index = end.column - 1
        while let next = character(line: end.line, index: index), next == " " || next == "\t" { index += 1 }
        guard character(line: end.line, index: index) == ",", character(line: end.line, index: index + 1) == "#"
        else { return }
        throw gluedComment(line: end.line, index: index + 1)
    }

    // MARK: Scalars

    private func checkScalar(_ scalar: YAMLScalar, _ event: YAMLEvent) throws(Diagnostic) {
        switch scalar.style {
        case .plain:
            if inFlow, scalar.text == "-" || scalar.text.hasPrefix("- ") {
                throw Diagnostic.error(
                    "'-' cannot start a plain scalar in a flow collection; quote it (\"-\")",
                    at: event.location
                )
            }
        case .singleQuoted, .doubleQuoted:
            try checkGluedComment(at: event.end)
            if !inFlow {
                try checkContinuation(from: event.location.line, to: event.end.line, skippingComments: false)
            }
        case .literal, .folded:
            try checkBlockHeader(event.location)
        }
    }

    /// `|` or `>`, then indentation and chomping indicators, then a space before any comment.
    private func checkBlockHeader(_ start: SourceLocation) throws(Diagnostic) {
        let line = start.line
        let count = lines.length(line: line)
        var index = start.column - 1
        while index < count {
            let isIndicator = character(line: line, index: index) == "|" || character(line: line, index: index) == ">"
            let before = character(line: line, index: index - 1)
            let followsSpace = index == start.column - 1 || before == " " || before == "\t"
            if isIndicator && followsSpace { break }
            index += 1
        }
        index += 1
        while index < count, let next = character(line: line, index: index),
            "0123456789+-".unicodeScalars.contains(next)
        {
            index += 1
        }
        if index < count, character(line: line, index: index) == "#" { throw gluedComment(line: line, index: index) }
    }

    // MARK: Indentation

    /// Records the indentation of the innermost block collection from its first entry.
    private mutating func entryStarts(at start: SourceLocation) {
        guard let last = open.last, !last.isFlow, last.indent == nil else { return }
        var index = start.column - 2
        while let previous = character(line: start.line, index: index), previous == " " || previous == "\t" {
            index -= 1
        }
        let indicator = character(line: start.line, index: index)
        if last.isMapping {
            open[open.count - 1].indent = indicator == "?" ? index : start.column - 1
        } else {
            open[open.count - 1].indent = indicator == "-" ? index : -1
        }
    }

    /// Lines after the first of a flow node in a block must be indented deeper than that block.
    private func checkContinuation(from first: Int, to last: Int, skippingComments: Bool) throws(Diagnostic) {
        guard last > first, let block = open.last, !block.isFlow, let indent = block.indent, indent >= 0 else {
            return
        }
        for line in (first + 1)...min(last, lines.count) {
            var content = 0
            while let next = character(line: line, index: content), next == " " || next == "\t" { content += 1 }
            guard let leading = character(line: line, index: content) else { continue }
            if skippingComments && leading == "#" { continue }
            var spaces = 0
            while character(line: line, index: spaces) == " " { spaces += 1 }
            guard spaces <= indent else { continue }
            throw Diagnostic.error(
                "this line continues a flow collection or quoted scalar and must be indented by more than "
                    + "\(indent) spaces, deeper than the block around it (tabs do not count)",
                at: location(line: line, index: spaces)
            )
        }
    }
}
