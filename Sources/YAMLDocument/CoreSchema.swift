/// The YAML 1.2 core schema: which plain scalars are nulls, booleans, integers and floats.
///
/// Only these forms are typed; `yes`, `NO`, `on`, `2122:22` and `2001-01-23` are strings, as YAML 1.2
/// says (YAML 1.1 loaders such as PyYAML read them as booleans, sexagesimals and dates).
enum CoreSchema {
    static let tagPrefix = "tag:yaml.org,2002:"
    static let strTag = tagPrefix + "str"
    static let intTag = tagPrefix + "int"
    static let floatTag = tagPrefix + "float"
    static let boolTag = tagPrefix + "bool"
    static let nullTag = tagPrefix + "null"
    static let seqTag = tagPrefix + "seq"
    static let mapTag = tagPrefix + "map"
    static let mergeTag = tagPrefix + "merge"
    /// The non-specific tag `!`: the node is a string (scalar) or its plain collection kind.
    static let nonSpecificTag = "!"

    /// `~`, `null`, `Null`, `NULL` or nothing at all.
    static func isNull(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": true
        default: false
        }
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// The outcome of reading an integer form: its value, or, when it does not fit in `Int`, its nearest `Double`.
    enum IntegerForm: Equatable {
        case value(Int)
        case outOfRange(Double)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`; nil when the text is none of these.
    static func integer(_ text: String) -> IntegerForm? {
        var digits = Substring(text)
        var radix = 10
        var negative = false
        if digits.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit && $0.hexDigitValue! < radix })
        else { return nil }
        let value = negative ? Int("-" + digits, radix: radix) : Int(digits, radix: radix)
        if let value { return .value(value) }
        let magnitude =
            radix == 10
            ? Double(digits) ?? .infinity
            : digits.reduce(0.0) { $0 * Double(radix) + Double($1.hexDigitValue!) }
        return .outOfRange(negative ? -magnitude : magnitude)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.inf` (three spellings) or `.nan`
    /// (three spellings); nil when the text is none of these.
    static func float(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        switch rest {
        case ".inf", ".Inf", ".INF": return sign * .infinity
        case ".nan", ".NaN", ".NAN": return rest.count == text.count ? .nan : nil
        default: break
        }
        guard isDecimalFloat(rest) else { return nil }
        return Double(text)
    }

    private static func isDecimalFloat(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - start
        }
        let whole = digits()
        var fraction = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digits()
            // `.` alone or `.e3` is not a number; `1.` is.
            if whole == 0 && fraction == 0 { return false }
        } else if whole == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            if digits() == 0 { return false }
        }
        return index == bytes.count
    }

    /// A plain, untagged scalar typed by the schema; text that matches no form is a string.
    static func resolve(plain text: String) -> JSONValue {
        if isNull(text) { return .null }
        if let value = bool(text) { return .bool(value) }
        switch integer(text) {
        case .value(let value): return .int(value)
        case .outOfRange(let approximation): return .double(approximation)
        case nil: break
        }
        if let value = float(text) { return .double(value) }
        return .string(text)
    }

    /// `!!int` for a core-schema tag, the tag itself otherwise: how users write tags.
    static func shorthand(_ tag: String) -> String {
        tag.hasPrefix(tagPrefix) ? "!!" + tag.dropFirst(tagPrefix.count) : tag
    }
}
