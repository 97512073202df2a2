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
        var text = text
        return text.withUTF8(isNull)
    }

    static func bool(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8(bool)
    }

    /// The outcome of reading an integer form: its value, or, when it does not fit in `Int`, its nearest `Double`.
    enum IntegerForm: Equatable {
        case value(Int)
        case outOfRange(Double)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`; nil when the text is none of these.
    static func integer(_ text: String) -> IntegerForm? {
        var text = text
        return text.withUTF8(integer)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.inf` (three spellings) or `.nan`
    /// (three spellings); nil when the text is none of these.
    static func float(_ text: String) -> Double? {
        var bytes = text
        return bytes.withUTF8 { float($0, text: text) }
    }

    /// A plain, untagged scalar typed by the schema; text that matches no form is a string.
    static func resolve(plain text: String) -> JSONValue {
        var bytes = text
        return bytes.withUTF8 { utf8 in
            // Every typed form starts with one of these; most keys and words are rejected here at once.
            if let first = utf8.first, !mayStartTypedForm(first) { return .string(text) }
            if isNull(utf8) { return .null }
            if let value = bool(utf8) { return .bool(value) }
            switch integer(utf8) {
            case .value(let value): return .int(value)
            case .outOfRange(let approximation): return .double(approximation)
            case nil: break
            }
            if let value = float(utf8, text: text) { return .double(value) }
            return .string(text)
        }
    }

    /// `~`, a sign, a digit, `.`, or the first letter of a null or boolean spelling.
    private static func mayStartTypedForm(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"):
            true
        default: false
        }
    }

    // MARK: The forms, on UTF-8 bytes

    private static func isNull(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        switch utf8.count {
        case 0: true
        case 1: utf8[0] == UInt8(ascii: "~")
        case 4: matches(utf8, "null") || matches(utf8, "Null") || matches(utf8, "NULL")
        default: false
        }
    }

    private static func bool(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch utf8.count {
        case 4: matches(utf8, "true") || matches(utf8, "True") || matches(utf8, "TRUE") ? true : nil
        case 5: matches(utf8, "false") || matches(utf8, "False") || matches(utf8, "FALSE") ? false : nil
        default: nil
        }
    }

    /// Whether the bytes spell `word` (ASCII) exactly.
    private static func matches(_ utf8: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        utf8.count == word.utf8CodeUnitCount
            && utf8.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    private static func integer(_ utf8: UnsafeBufferPointer<UInt8>) -> IntegerForm? {
        var start = 0
        var radix = 10
        var negative = false
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "o") {
            radix = 8
            start = 2
        } else if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") {
            radix = 16
            start = 2
        } else if let sign = utf8.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            start = 1
        }
        guard start < utf8.count else { return nil }
        // Accumulated negatively, so that Int.min fits; nil once it overflows.
        var value: Int? = 0
        for index in start..<utf8.count {
            guard let digit = digitValue(utf8[index]), digit < radix else { return nil }
            if let current = value {
                let (shifted, overflowA) = current.multipliedReportingOverflow(by: radix)
                let (next, overflowB) = shifted.subtractingReportingOverflow(digit)
                value = overflowA || overflowB ? nil : next
            }
        }
        if let value {
            if negative { return .value(value) }
            if value != .min { return .value(-value) }
        }
        let digits = UnsafeBufferPointer(rebasing: utf8[start...])
        let magnitude =
            radix == 10
            ? Double(String(decoding: digits, as: UTF8.self)) ?? .infinity
            : digits.reduce(0.0) { $0 * Double(radix) + Double(digitValue($1)!) }
        return .outOfRange(negative ? -magnitude : magnitude)
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    private static func float(_ utf8: UnsafeBufferPointer<UInt8>, text: String) -> Double? {
        var rest = utf8[...]
        var sign = 1.0
        if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            sign = first == UInt8(ascii: "-") ? -1 : 1
            rest = rest.dropFirst()
        }
        let restBuffer = UnsafeBufferPointer(rebasing: rest)
        if matches(restBuffer, ".inf") || matches(restBuffer, ".Inf") || matches(restBuffer, ".INF") {
            return sign * .infinity
        }
        if matches(restBuffer, ".nan") || matches(restBuffer, ".NaN") || matches(restBuffer, ".NAN") {
            return rest.count == utf8.count ? .nan : nil
        }
        guard isDecimalFloat(restBuffer) else { return nil }
        return Double(text)
    }

    private static func isDecimalFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
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

    /// `!!int` for a core-schema tag, the tag itself otherwise: how users write tags.
    static func shorthand(_ tag: String) -> String {
        tag.hasPrefix(tagPrefix) ? "!!" + tag.dropFirst(tagPrefix.count) : tag
    }
}
