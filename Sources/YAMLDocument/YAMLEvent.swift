import Diagnostics

/// One parsing event, copied out of libyaml's memory into Swift values.
struct YAMLEvent: Sendable {
    enum Kind: Sendable {
        case streamStart
        case streamEnd
        /// `directives`: whether `%YAML` or `%TAG` lines precede it; `version`: whether `%YAML` does.
        case documentStart(explicit: Bool, directives: Bool, version: Bool)
        case documentEnd(explicit: Bool)
        case alias(anchor: String)
        case scalar(YAMLScalar, anchor: String?, tag: String?)
        case sequenceStart(anchor: String?, tag: String?, flow: Bool)
        case sequenceEnd
        case mappingStart(anchor: String?, tag: String?, flow: Bool)
        case mappingEnd
    }

    var kind: Kind
    /// Where the event starts (its anchor or tag, when written first).
    var location: SourceLocation
    /// Just past the event's last character.
    var end: SourceLocation
}

extension YAMLEvent {
    /// The event in the notation of the YAML test suite's `test.event` files (`+MAP {} &a <tag>`, `=VAL :text`).
    var traceLine: String {
        switch kind {
        case .streamStart: return "+STR"
        case .streamEnd: return "-STR"
        case .documentStart(let explicit, _, _): return explicit ? "+DOC ---" : "+DOC"
        case .documentEnd(let explicit): return explicit ? "-DOC ..." : "-DOC"
        case .alias(let anchor): return "=ALI *\(anchor)"
        case .sequenceStart(let anchor, let tag, let flow):
            return Self.joined("+SEQ", flow ? "[]" : nil, anchor.map { "&\($0)" }, tag.map { "<\($0)>" })
        case .sequenceEnd: return "-SEQ"
        case .mappingStart(let anchor, let tag, let flow):
            return Self.joined("+MAP", flow ? "{}" : nil, anchor.map { "&\($0)" }, tag.map { "<\($0)>" })
        case .mappingEnd: return "-MAP"
        case .scalar(let scalar, let anchor, let tag):
            let value = Self.indicator(scalar.style) + Self.escaped(scalar.text)
            return Self.joined("=VAL", anchor.map { "&\($0)" }, tag.map { "<\($0)>" }, value)
        }
    }

    private static func joined(_ parts: String?...) -> String {
        parts.compactMap { $0 }.joined(separator: " ")
    }

    private static func indicator(_ style: YAMLScalar.Style) -> String {
        switch style {
        case .plain: ":"
        case .singleQuoted: "'"
        case .doubleQuoted: "\""
        case .literal: "|"
        case .folded: ">"
        }
    }

    private static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\0": out += "\\0"
            case "\u{8}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
