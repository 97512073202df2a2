public import Diagnostics

/// What `value(unknownTags:)` does with a tag outside the core schema (`!custom`, `!!binary`).
public enum UnknownTagHandling: Sendable, Hashable {
    /// An unknown tag is an error at the node.
    case reject
    /// The tag is dropped: a scalar is its text as a string, a collection its plain content.
    case ignore
}

extension YAMLNode {
    /// The node as a string: a plain scalar is its text as written (`NO`, `0755`, `24.10` stay text);
    /// a null (`~`, `null`, empty) or a collection is an error at its position.
    public func string() throws(Diagnostic) -> String {
        guard case .scalar(let scalar) = content, !isNull else {
            throw Diagnostic.error("expected a string, found \(foundDescription)", at: location)
        }
        return scalar.text
    }

    /// The node as an integer (core schema forms: `12`, `-3`, `0o755`, `0xFF`); anything else is an error at
    /// its position, including a quoted `"12"`.
    public func int() throws(Diagnostic) -> Int {
        guard let text = typedText(allowing: CoreSchema.intTag), let form = CoreSchema.integer(text) else {
            throw Diagnostic.error("expected an integer, found \(foundDescription)", at: location)
        }
        guard case .value(let value) = form else {
            throw Diagnostic.error("integer \(text) does not fit in 64 bits", at: location)
        }
        return value
    }

    /// The node as a number (integers accepted, `.inf` and `.nan` too); anything else is an error at its position.
    public func double() throws(Diagnostic) -> Double {
        guard let text = typedText(allowing: CoreSchema.intTag, CoreSchema.floatTag) else {
            throw Diagnostic.error("expected a number, found \(foundDescription)", at: location)
        }
        switch CoreSchema.integer(text) {
        case .value(let value): return Double(value)
        case .outOfRange(let approximation): return approximation
        case nil: break
        }
        guard tag != CoreSchema.intTag, let value = CoreSchema.float(text) else {
            throw Diagnostic.error("expected a number, found \(foundDescription)", at: location)
        }
        return value
    }

    /// The node as a boolean (`true`/`false`, `True`, `FALSE`: core schema; `yes`/`no`/`on` are not);
    /// anything else is an error at its position.
    public func bool() throws(Diagnostic) -> Bool {
        guard let text = typedText(allowing: CoreSchema.boolTag), let value = CoreSchema.bool(text) else {
            throw Diagnostic.error("expected a boolean (true or false), found \(foundDescription)", at: location)
        }
        return value
    }

    /// Whether the node is a null by the core schema (`~`, `null`, `Null`, `NULL`, empty, `!!null`).
    public var isNull: Bool {
        guard case .scalar(let scalar) = content else { return false }
        if tag == CoreSchema.nullTag { return true }
        return tag == nil && scalar.style == .plain && CoreSchema.isNull(scalar.text)
    }

    /// The node typed by the YAML 1.2 core schema, with standard tags honoured.
    ///
    /// A plain scalar resolves to null, boolean, integer, float or string; a quoted or block scalar is
    /// always a string. A mapping key that is not a string becomes its text as written.
    /// - Parameter unknownTags: whether a tag outside the core schema is an error (the default) or dropped.
    /// - Throws: an unknown tag, a tag on the wrong kind of node, a value that does not fit its tag, or a
    ///   collection used as a mapping key.
    public func value(unknownTags: UnknownTagHandling = .reject) throws(Diagnostic) -> JSONValue {
        switch content {
        case .scalar(let scalar):
            return try scalarValue(scalar, unknownTags: unknownTags)
        case .sequence(let items):
            try checkCollectionTag(CoreSchema.seqTag, unknownTags: unknownTags)
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.value(unknownTags: unknownTags)) }
            return .array(values)
        case .mapping(let pairs):
            try checkCollectionTag(CoreSchema.mapTag, unknownTags: unknownTags)
            var members: [(String, JSONValue)] = []
            members.reserveCapacity(pairs.count)
            for pair in pairs {
                let key = try pair.key.keyText(unknownTags: unknownTags)
                members.append((key, try pair.value.value(unknownTags: unknownTags)))
            }
            return .object(members)
        }
    }

    /// The node as a JSON value, for output and tests: `value(unknownTags: .ignore)`.
    public func json() throws(Diagnostic) -> JSONValue {
        try value(unknownTags: .ignore)
    }

    /// "a scalar", "a sequence", "a mapping", "null": for error messages.
    public var kindName: String {
        switch content {
        case .scalar: return isNull ? "null" : "a scalar"
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        }
    }

    /// The scalar's text when the node may be read as one of `tags`: untagged and plain, or tagged with one of them.
    private func typedText(allowing first: String, _ second: String? = nil) -> String? {
        guard case .scalar(let scalar) = content else { return nil }
        if let tag { return tag == first || tag == second ? scalar.text : nil }
        return scalar.style == .plain ? scalar.text : nil
    }

    private func scalarValue(_ scalar: YAMLScalar, unknownTags: UnknownTagHandling) throws(Diagnostic) -> JSONValue {
        switch tag {
        case nil:
            return scalar.style == .plain ? CoreSchema.resolve(plain: scalar.text) : .string(scalar.text)
        case CoreSchema.nonSpecificTag, CoreSchema.strTag:
            return .string(scalar.text)
        case CoreSchema.intTag:
            return .int(try int())
        case CoreSchema.floatTag:
            return .double(try double())
        case CoreSchema.boolTag:
            return .bool(try bool())
        case CoreSchema.nullTag:
            guard CoreSchema.isNull(scalar.text) else {
                throw Diagnostic.error("expected a null (~, null or nothing), found \(foundDescription)", at: location)
            }
            return .null
        case CoreSchema.seqTag, CoreSchema.mapTag:
            throw Diagnostic.error("tag \(CoreSchema.shorthand(tag!)) cannot be used on a scalar", at: location)
        case let tag?:
            guard unknownTags == .ignore else { throw unknownTagError(tag) }
            return .string(scalar.text)
        }
    }

    private func checkCollectionTag(_ expected: String, unknownTags: UnknownTagHandling) throws(Diagnostic) {
        guard let tag, tag != expected, tag != CoreSchema.nonSpecificTag else { return }
        let coreTags = [CoreSchema.strTag, CoreSchema.intTag, CoreSchema.floatTag, CoreSchema.boolTag]
        if coreTags.contains(tag) || tag == CoreSchema.nullTag || tag == CoreSchema.seqTag || tag == CoreSchema.mapTag {
            throw Diagnostic.error("tag \(CoreSchema.shorthand(tag)) cannot be used on \(kindName)", at: location)
        }
        if unknownTags == .reject { throw unknownTagError(tag) }
    }

    private func unknownTagError(_ tag: String) -> Diagnostic {
        Diagnostic.error(
            "unknown tag \(CoreSchema.shorthand(tag)); the core schema knows !!str, !!int, !!float, !!bool, !!null, "
                + "!!seq and !!map",
            at: location
        )
    }

    private func keyText(unknownTags: UnknownTagHandling) throws(Diagnostic) -> String {
        guard case .scalar(let scalar) = content else {
            throw Diagnostic.error("a mapping key that is \(kindName) has no JSON form", at: location)
        }
        if case .string(let text) = try value(unknownTags: unknownTags) { return text }
        return scalar.text
    }

    /// What the node is, for "expected X, found Y" messages: `"abc"`, `the quoted string "12"`, `null`, `a mapping`.
    var foundDescription: String {
        guard case .scalar(let scalar) = content else { return kindName }
        if isNull { return "null" }
        let shown = scalar.text.count > 40 ? scalar.text.prefix(40) + "…" : Substring(scalar.text)
        let quoted = "\"\(shown.replacingNewlines())\""
        if let tag { return "\(CoreSchema.shorthand(tag)) \(quoted)" }
        switch scalar.style {
        case .plain: return quoted
        case .singleQuoted, .doubleQuoted: return "the quoted string \(quoted) (quotes make it text)"
        case .literal, .folded: return "the block scalar \(quoted)"
        }
    }
}

extension Substring {
    fileprivate func replacingNewlines() -> String {
        var out = ""
        for character in self {
            switch character {
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(character)
            }
        }
        return out
    }
}
