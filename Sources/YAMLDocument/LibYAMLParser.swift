internal import CYAML
import Diagnostics

/// Owns one libyaml parser and the bytes it reads, and hands out its events as Swift values.
///
/// The parser points into `input` for its whole life, so both are created in `init` and freed together
/// in `deinit`; no C pointer leaves this class. libyaml's 0-based marks become 1-based locations here.
final class LibYAMLParser {
    private let file: String
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var isInitialized = false

    /// - Throws: when libyaml cannot allocate its parser.
    init(_ text: String, file: String) throws(Diagnostic) {
        self.file = file
        let count = text.utf8.count
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(count, 1))
        _ = input.initialize(from: text.utf8)
        guard yaml_parser_initialize(parser) == 1 else {
            throw Diagnostic.error("yaml_parser_initialize failed: out of memory")
        }
        isInitialized = true
        yaml_parser_set_input_string(parser, input.baseAddress, count)
    }

    deinit {
        if isInitialized { yaml_parser_delete(parser) }
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; after `.streamEnd` libyaml keeps returning `.streamEnd`.
    /// - Throws: libyaml's scanner, parser or reader error, at its position.
    func next() throws(Diagnostic) -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw failure() }
        defer { yaml_event_delete(&event) }
        return YAMLEvent(kind: kind(of: event), location: location(event.start_mark), end: location(event.end_mark))
    }

    private func kind(of event: yaml_event_t) -> YAMLEvent.Kind {
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_DOCUMENT_START_EVENT:
            let data = event.data.document_start
            return .documentStart(
                explicit: data.implicit == 0,
                directives: data.version_directive != nil || data.tag_directives.start != data.tag_directives.end,
                version: data.version_directive != nil
            )
        case YAML_DOCUMENT_END_EVENT: return .documentEnd(explicit: event.data.document_end.implicit == 0)
        case YAML_ALIAS_EVENT: return .alias(anchor: Self.string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let scalar = YAMLScalar(text: text, style: Self.style(data.style))
            return .scalar(scalar, anchor: Self.string(data.anchor), tag: Self.string(data.tag))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return .sequenceStart(
                anchor: Self.string(data.anchor),
                tag: Self.string(data.tag),
                flow: data.style == YAML_FLOW_SEQUENCE_STYLE
            )
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return .mappingStart(
                anchor: Self.string(data.anchor),
                tag: Self.string(data.tag),
                flow: data.style == YAML_FLOW_MAPPING_STYLE
            )
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        default: return .streamEnd
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// libyaml's error as a diagnostic: its problem text, then its context text, with a note where the
    /// context (the construct being read) began.
    private func failure() -> Diagnostic {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown problem"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return Diagnostic.error("libyaml ran out of memory", at: SourceLocation(file: file, line: 1, column: 1))
        case YAML_READER_ERROR:
            var message = problem
            if state.problem_value != -1 {
                message += " (#x\(String(state.problem_value, radix: 16, uppercase: true)))"
            }
            return Diagnostic.error(message, at: location(ofByte: state.problem_offset))
        default:
            let problemLocation = location(state.problem_mark)
            var message = problem
            if let context = state.context.map({ String(cString: $0) }) { message += " " + context }
            if character(at: problemLocation) == "\t" { message += "; YAML indents with spaces, never tabs" }
            // `{A: ${X}}`: the braces of ${X} end the flow mapping early.
            if state.context.map({ String(cString: $0).contains("flow") }) == true,
                lineText(problemLocation.line)?.contains("${") == true
            {
                message += "; a ${VAR} inside { } or [ ] must be quoted: \"${VAR}\""
            }
            guard let context = state.context.map({ String(cString: $0) }),
                location(state.context_mark) != problemLocation
            else { return Diagnostic.error(message, at: problemLocation) }
            return Diagnostic(
                .error,
                message,
                at: problemLocation,
                notes: [Diagnostic.note("\(context) that starts here", at: location(state.context_mark))]
            )
        }
    }

    /// The character at a 1-based line and column (in Unicode scalars), or nil past the end.
    private func character(at location: SourceLocation) -> Unicode.Scalar? {
        lineText(location.line)?.unicodeScalars.dropFirst(location.column - 1).first
    }

    /// The text of a 1-based line, without its line feed, or nil past the end.
    private func lineText(_ number: Int) -> String? {
        var line = 1
        var start = 0
        for (offset, byte) in input.enumerated() where line < number && byte == UInt8(ascii: "\n") {
            line += 1
            start = offset + 1
        }
        guard line == number, start <= input.count else { return nil }
        let rest = String(decoding: UnsafeBufferPointer(rebasing: input[start...]), as: UTF8.self)
        return String(rest.unicodeScalars.prefix { $0 != "\n" })
    }

    /// The line and column (in Unicode scalars, as libyaml counts) of a byte offset into the input.
    private func location(ofByte offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in input.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
