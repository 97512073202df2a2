import Foundation

/// Request paths with percent-encoded query strings.
enum QueryString {
    /// Characters left as they are in a query name or value: RFC 3986's unreserved set.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Characters left as they are in a path segment that holds an image reference (`registry:5000/a/b:tag`).
    private static let referenceCharacters = unreserved.union(CharacterSet(charactersIn: "/:@"))

    /// `path?name=value&...`, skipping items whose value is nil.
    static func path(_ path: String, _ items: [(String, String?)]) -> String {
        let pairs = items.compactMap { name, value in value.map { "\(encode(name))=\(encode($0))" } }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// A container id or name, or an image reference, made safe as part of a path.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: referenceCharacters) ?? text
    }
}

/// Decoding of API response bodies.
enum APIJSON {
    static func decode<Value: Decodable>(_ type: Value.Type, from body: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(body))
    }
}
