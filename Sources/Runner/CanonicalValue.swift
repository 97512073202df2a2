/// A value in the canonical encoding the spec hash reads: JSON with sorted keys, no spaces, and
/// explicit nulls, so the same spec always gives the same bytes whatever order it was written in.
enum CanonicalValue: Sendable, Hashable {
    case null
    case int(Int)
    case string(String)
    case list([CanonicalValue])
    case object([String: CanonicalValue])

    static func optional(_ value: String?) -> CanonicalValue {
        value.map(CanonicalValue.string) ?? .null
    }

    static func optional(_ value: Int?) -> CanonicalValue {
        value.map(CanonicalValue.int) ?? .null
    }

    static func strings(_ values: [String]) -> CanonicalValue {
        .list(values.map(CanonicalValue.string))
    }

    var encoded: String {
        switch self {
        case .null: return "null"
        case .int(let value): return String(value)
        case .string(let value): return Self.quoted(value)
        case .list(let values): return "[" + values.map(\.encoded).joined(separator: ",") + "]"
        case .object(let fields):
            let pairs = fields.keys.sorted().map { Self.quoted($0) + ":" + fields[$0]!.encoded }
            return "{" + pairs.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
