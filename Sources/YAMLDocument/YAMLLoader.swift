public import Diagnostics

/// Loads YAML text into document trees (libyaml's event API underneath).
public enum YAMLLoader {
    /// Every document in the stream; an empty document is nil.
    /// - Throws: the first syntax or structure error, located in `file`.
    public static func load(
        _ text: String,
        file: String,
        limits: YAMLLimits = YAMLLimits()
    ) throws(Diagnostic) -> [YAMLNode?] {
        throw Diagnostic.error("YAML loading is not built yet", at: SourceLocation(file: file, line: 1, column: 1))
    }
}

extension YAMLNode {
    /// The node as a string: a plain scalar is its text as written (`NO`, `0755`, `24.10` stay text);
    /// a null (`~`, `null`, empty) or a collection is an error at its position.
    public func string() throws(Diagnostic) -> String {
        guard case .scalar(let scalar) = content else {
            throw Diagnostic.error("expected a string, found \(kindName)", at: location)
        }
        return scalar.text
    }

    /// The node as an integer (core schema forms); anything else is an error at its position.
    public func int() throws(Diagnostic) -> Int {
        throw Diagnostic.error("expected an integer", at: location)
    }

    /// The node as a number (integers accepted); anything else is an error at its position.
    public func double() throws(Diagnostic) -> Double {
        throw Diagnostic.error("expected a number", at: location)
    }

    /// The node as a boolean (`true`/`false`, core schema); anything else is an error at its position.
    public func bool() throws(Diagnostic) -> Bool {
        throw Diagnostic.error("expected a boolean", at: location)
    }

    /// Whether the node is a null by the core schema (`~`, `null`, `Null`, `NULL`, empty, `!!null`).
    public var isNull: Bool { false }

    /// The node typed by the YAML 1.2 core schema, with standard tags honoured.
    /// - Throws: an unknown tag, or a value that does not fit its tag.
    public func value() throws(Diagnostic) -> JSONValue {
        throw Diagnostic.error("not built yet", at: location)
    }

    /// "a string", "a sequence", "a mapping", "null": for error messages.
    public var kindName: String {
        switch content {
        case .scalar: return isNull ? "null" : "a scalar"
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        }
    }
}
