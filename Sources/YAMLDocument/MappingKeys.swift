import Diagnostics

/// A mapping's keys made final: duplicate keys rejected, merge keys (`<<`) replaced by the pairs they bring.
enum MappingKeys {
    /// The pairs with every `<<` replaced, in place, by the merged pairs no explicit key overrides.
    ///
    /// A merge value is one mapping or a sequence of them; when several bring the same key, the earlier one
    /// wins, and any key written in the mapping itself wins over all of them.
    /// - Throws: a duplicate key (naming both places), or a merge value that is not a mapping.
    static func resolve(_ pairs: [YAMLPair]) throws(Diagnostic) -> [YAMLPair] {
        var explicit: [YAMLPair] = []
        var seen: [NodeIdentity: SourceLocation] = [:]
        var merge: (index: Int, key: YAMLNode, sources: [YAMLNode])?
        for pair in pairs {
            if isMergeKey(pair.key) {
                if let first = merge?.key { throw duplicate(pair.key, first: first.location) }
                merge = (explicit.count, pair.key, try sources(pair.value))
                continue
            }
            let identity = NodeIdentity(pair.key)
            if let first = seen[identity] { throw duplicate(pair.key, first: first) }
            seen[identity] = pair.key.location
            explicit.append(pair)
        }
        guard let merge else { return explicit }
        var merged: [YAMLPair] = []
        for source in merge.sources {
            guard case .mapping(let sourcePairs) = source.content else { continue }
            for pair in sourcePairs {
                let identity = NodeIdentity(pair.key)
                guard seen[identity] == nil else { continue }
                seen[identity] = pair.key.location
                merged.append(pair)
            }
        }
        explicit.insert(contentsOf: merged, at: merge.index)
        return explicit
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
