import YAMLDocument

/// Reads a stream of JSON values, one after another (a multi-document `in.json` of the YAML test suite).
struct JSONStreamReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let bytes: [UInt8]
    private var index = 0

    /// Every value in `text`, in order.
    static func values(in text: String) throws -> [JSONValue] {
        var reader = JSONStreamReader(bytes: Array(text.utf8))
        var values: [JSONValue] = []
        reader.skipWhitespace()
        while reader.index < reader.bytes.count {
            values.append(try reader.value())
            reader.skipWhitespace()
        }
        return values
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func value() throws -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw Failure(description: "unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws -> JSONValue {
        let end = index + word.utf8.count
        guard end <= bytes.count, Array(bytes[index..<end]) == Array(word.utf8) else {
            throw Failure(description: "bad literal at byte \(index)")
        }
        index = end
        return value
    }

    private mutating func expect(_ byte: Character) throws {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte.asciiValue! else {
            throw Failure(description: "expected \(byte) at byte \(index)")
        }
        index += 1
    }

    private mutating func peek(_ byte: Character) -> Bool {
        skipWhitespace()
        return index < bytes.count && bytes[index] == byte.asciiValue!
    }

    private mutating func object() throws -> JSONValue {
        try expect("{")
        var members: [(String, JSONValue)] = []
        if peek("}") {
            index += 1
            return .object(members)
        }
        repeat {
            skipWhitespace()
            let key = try string()
            try expect(":")
            members.append((key, try value()))
        } while try separator(closing: "}")
        return .object(members)
    }

    private mutating func array() throws -> JSONValue {
        try expect("[")
        var items: [JSONValue] = []
        if peek("]") {
            index += 1
            return .array(items)
        }
        repeat {
            items.append(try value())
        } while try separator(closing: "]")
        return .array(items)
    }

    /// True after a comma, false after the closing bracket.
    private mutating func separator(closing: Character) throws -> Bool {
        if peek(",") {
            index += 1
            return true
        }
        try expect(closing)
        return false
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                scalars.append(try escape())
            default:
                raw.append(byte)
            }
        }
        throw Failure(description: "unterminated string")
    }

    private mutating func escape() throws -> Unicode.Scalar {
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "b"): return "\u{8}"
        case UInt8(ascii: "f"): return "\u{C}"
        case UInt8(ascii: "u"):
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high), bytes[index] == UInt8(ascii: "\\") {
                index += 2
                let low = try hex4()
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        default: return Unicode.Scalar(byte)
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw Failure(description: "bad \\u escape at byte \(index)") }
        index += 4
        return value
    }

    private mutating func number() throws -> JSONValue {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let value = Int(text) { return .int(value) }
        if let value = Double(text) { return .double(value) }
        throw Failure(description: "bad number \(text) at byte \(start)")
    }
}
