import Foundation

/// A JSON value for request bodies whose shape depends on which options are set, such as the container
/// create request: fields that are nil or empty are simply not added.
enum JSONValue: Sendable, Hashable {
    case string(String)
    case number(Int64)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value as compact JSON text.
    var encoded: [UInt8] {
        // JSONEncoder cannot fail on this closed set of cases.
        (try? Array(Self.encoder.encode(self))) ?? []
    }

    var encodedString: String { String(decoding: encoded, as: UTF8.self) }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func strings(_ values: [String: String]) -> JSONValue { .object(values.mapValues(JSONValue.string)) }

    /// An object whose keys map to empty objects, as the API writes sets (`ExposedPorts`, `Volumes`).
    static func set(_ keys: [String]) -> JSONValue {
        .object(Dictionary(keys.map { ($0, JSONValue.object([:])) }, uniquingKeysWith: { first, _ in first }))
    }
}

extension JSONValue: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let values): try container.encode(values)
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` unless `value` is nil.
    mutating func set(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }

    /// Sets `key` to the strings unless there are none.
    mutating func set(_ key: String, _ values: [String]) {
        if !values.isEmpty { self[key] = .strings(values) }
    }

    /// Sets `key` to the string map unless it is empty.
    mutating func set(_ key: String, _ values: [String: String]) {
        if !values.isEmpty { self[key] = .strings(values) }
    }
}
