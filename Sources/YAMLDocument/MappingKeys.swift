import Diagnostics

/// A mapping's keys made final: duplicate keys rejected, merge keys (`<<`) replaced by the pairs they bring.
enum MappingKeys {
    /// The pairs with every `<<` replaced, in place, by the merged pairs no explicit key overrides.
    ///
    /// A merge value is one mapping or a sequence of them; when several bring the same key, the earlier one
    /// wins, and any key written in the mapping itself wins over all of them.
    /// - Throws: a duplicate key (naming both places), or a merge value that is not a mapping.
    static func resolve(_ pairs: [YAMLPair]) throws(Diagnostic) -> [YAMLPair] {
        if try checkedStringKeys(pairs) { return pairs }
        var explicit: [YAMLPair] = []
        var seen = SeenKeys()
        var merge: (index: Int, key: YAMLNode, sources: [YAMLNode])?
        for (index, pair) in pairs.enumerated() {
            if isMergeKey(pair.key) {
                if let first = merge?.key { throw duplicate(pair.key, first: first.location) }
                if merge == nil { explicit = Array(pairs[..<index]) }
                merge = (explicit.count, pair.key, try sources(pair.value))
                continue
            }
            let identity = NodeIdentity(pair.key)
            if let first = seen.location(of: identity) { throw duplicate(pair.key, first: first) }
            seen.insert(identity, at: pair.key.location)
            if merge != nil { explicit.append(pair) }
        }
        // Without a merge key the pairs stay as they are, and so does their storage.
        guard let merge else { return pairs }
        var merged: [YAMLPair] = []
        for source in merge.sources {
            guard case .mapping(let sourcePairs) = source.content else { continue }
            for pair in sourcePairs {
                let identity = NodeIdentity(pair.key)
                guard seen.location(of: identity) == nil else { continue }
                seen.insert(identity, at: pair.key.location)
                merged.append(pair)
            }
        }
        explicit.insert(contentsOf: merged, at: merge.index)
        return explicit
    }

    /// The usual mapping, with no merge key and every key a string by the core schema: two keys are the
    /// same exactly when their texts are, so duplicates are found without building identities.
    /// - Returns: false, having checked nothing, when the mapping is not of that kind.
    /// - Throws: the first key that repeats an earlier one.
    private static func checkedStringKeys(_ pairs: [YAMLPair]) throws(Diagnostic) -> Bool {
        for pair in pairs {
            guard case .scalar(let scalar) = pair.key.content, pair.key.tag == nil, !isMergeKey(pair.key),
                isString(scalar)
            else { return false }
        }
        func text(_ index: Int) -> String {
            guard case .scalar(let scalar) = pairs[index].key.content else { return "" }
            return scalar.text
        }
        if pairs.count <= 12 {
            for index in pairs.indices {
                let key = text(index)
                for earlier in 0..<index where text(earlier) == key {
                    throw duplicate(pairs[index].key, first: pairs[earlier].key.location)
                }
            }
        } else {
            var firstIndex: [String: Int] = [:]
            firstIndex.reserveCapacity(pairs.count)
            for index in pairs.indices {
                if let earlier = firstIndex[text(index)] {
                    throw duplicate(pairs[index].key, first: pairs[earlier].key.location)
                }
                firstIndex[text(index)] = index
            }
        }
        return true
    }

    /// Whether an untagged scalar is a string: quoted or block, or plain text of no other core type.
    private static func isString(_ scalar: YAMLScalar) -> Bool {
        guard scalar.style == .plain else { return true }
        if case .string = CoreSchema.resolve(plain: scalar.text) { return true }
        return false
    }

    /// The keys met so far: a list searched in order while short (most mappings have a few keys, where
    /// hashing costs more than comparing), a hash table once long.
    private struct SeenKeys {
        private static let listLimit = 12
        private var list: [(identity: NodeIdentity, location: SourceLocation)] = []
        private var table: [NodeIdentity: SourceLocation]?

        func location(of identity: NodeIdentity) -> SourceLocation? {
            if let table { return table[identity] }
            return list.first { $0.identity == identity }?.location
        }

        mutating func insert(_ identity: NodeIdentity, at location: SourceLocation) {
            if table != nil {
                table![identity] = location
            } else if list.count < Self.listLimit {
                list.append((identity, location))
            } else {
                var all = Dictionary(list, uniquingKeysWith: { first, _ in first })
                all[identity] = location
                table = all
                list = []
            }
        }
    }

    /// A plain `<<` (or one tagged `!!merge`); a quoted `"<<"` is an ordinary key.
    private static func isMergeKey(_ key: YAMLNode) -> Bool {
        guard case .scalar(let scalar) = key.content, scalar.text == "<<" else { return false }
        return key.tag == CoreSchema.mergeTag || (key.tag == nil && scalar.style == .plain)
    }

    private static func sources(_ value: YAMLNode) throws(Diagnostic) -> [YAMLNode] {
        switch value.content {
        case .mapping:
            return [value]
        case .sequence(let items):
            for item in items {
                guard case .mapping = item.content else {
                    throw Diagnostic.error(
                        "a merge key (<<) takes mappings, but this item of its sequence is \(item.kindName)",
                        at: item.location
                    )
                }
            }
            return items
        case .scalar:
            throw Diagnostic.error(
                "a merge key (<<) takes a mapping or a sequence of mappings, found \(value.kindName)",
                at: value.location
            )
        }
    }

    private static func duplicate(_ key: YAMLNode, first: SourceLocation) -> Diagnostic {
        let name: String
        if case .scalar(let scalar) = key.content {
            name = "\"\(scalar.text)\""
        } else {
            name = "(\(key.kindName))"
        }
        return Diagnostic(
            .error,
            "duplicate key \(name) in this mapping",
            at: key.location,
            notes: [Diagnostic.note("key \(name) is first defined here", at: first)]
        )
    }
}
