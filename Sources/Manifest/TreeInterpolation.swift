import Diagnostics
import YAMLDocument

#if canImport(Glibc)
    import Glibc
#endif

/// Applies `Interpolator` to every scalar value of a document (mapping keys are left as written).
struct TreeInterpolation {
    var interpolator: Interpolator
    /// The file's text, to point an error at the `$` itself when the scalar sits on one line.
    var source: SourceFile?

    /// The document with every scalar value substituted.
    /// - Parameters:
    ///   - diagnostics: receives one error for each scalar that could not be substituted.
    ///   - unresolved: receives the start of each such scalar, which is left as written, so that later
    ///     checks of the same value can be left out instead of reported a second time.
    ///   - emptied: receives, for each scalar that substitution left empty (a plain one then reads as
    ///     null), a note naming the variables, for problems later reported at that scalar.
    func apply(
        _ node: YAMLNode,
        into diagnostics: inout [Diagnostic],
        unresolved: inout Set<SourceLocation>,
        emptied: inout [SourceLocation: Diagnostic]
    ) -> YAMLNode {
        if let text = source?.text, !Self.mayHoldDollar(text) { return node }
        return substituted(node, into: &diagnostics, unresolved: &unresolved, emptied: &emptied) ?? node
    }

    /// Whether a scalar of `text` can hold a `$`: only if the text has one, or a backslash, since a
    /// double-quoted escape (`\x24`, `\u0024`) is the only other way to write one.
    private static func mayHoldDollar(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let start = bytes.baseAddress else { return false }
            return memchr(start, Int32(UInt8(ascii: "$")), bytes.count) != nil
                || memchr(start, Int32(UInt8(ascii: "\\")), bytes.count) != nil
        }
    }

    /// The node with its scalars substituted, or nil when no scalar in it changed (most manifests
    /// have no `$` at all, and then nothing is copied).
    private func substituted(
        _ node: YAMLNode,
        into diagnostics: inout [Diagnostic],
        unresolved: inout Set<SourceLocation>,
        emptied: inout [SourceLocation: Diagnostic]
    ) -> YAMLNode? {
        var node = node
        switch node.content {
        case .scalar(var scalar):
            guard scalar.text.utf8.contains(UInt8(ascii: "$")) else { return nil }
            do {
                let written = scalar.text
                scalar.text = try interpolator.apply(written)
                node.content = .scalar(scalar)
                if scalar.text.isEmpty, let note = emptiedNote(written) { emptied[node.location] = note }
            } catch {
                diagnostics.append(.error(error.message, at: location(of: error.offset, in: node, scalar)))
                unresolved.insert(node.location)
                return nil
            }
        case .sequence(var items):
            var changed = false
            for index in items.indices {
                guard
                    let item = substituted(items[index], into: &diagnostics, unresolved: &unresolved, emptied: &emptied)
                else {
                    continue
                }
                items[index] = item
                changed = true
            }
            guard changed else { return nil }
            node.content = .sequence(items)
        case .mapping(var pairs):
            var changed = false
            for index in pairs.indices {
                guard
                    let value = substituted(
                        pairs[index].value, into: &diagnostics, unresolved: &unresolved, emptied: &emptied)
                else {
                    continue
                }
                pairs[index].value = value
                changed = true
            }
            guard changed else { return nil }
            node.content = .mapping(pairs)
        }
        return node
    }

    /// "the value is empty after substitution: IMG is set to an empty string", naming each `${NAME}`
    /// written in the scalar; nil when it names none.
    private func emptiedNote(_ written: String) -> Diagnostic? {
        let names = written.components(separatedBy: "${").dropFirst().compactMap { part -> String? in
            let name = part.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            return name.isEmpty ? nil : String(name)
        }
        guard !names.isEmpty else { return nil }
        var seen = Set<String>()
        let states = names.filter { seen.insert($0).inserted }.map { name in
            interpolator.variables[name] == nil ? "\(name) is not set" : "\(name) is set to an empty string"
        }
        return .note("the value is empty after substitution: " + states.joined(separator: ", "))
    }

    /// The `$` at `offset` in the scalar's text, when the source line shows that text verbatim after
    /// the scalar's start (and its opening quote); else the scalar's start.
    private func location(of offset: Int, in node: YAMLNode, _ scalar: YAMLScalar) -> SourceLocation {
        let start = node.location
        guard let line = source?.line(start.line) else { return start }
        let skip: Int
        switch scalar.style {
        case .plain: skip = 0
        case .singleQuoted, .doubleQuoted: skip = 1
        case .literal, .folded: return start
        }
        let written = line.dropFirst(start.column - 1 + skip)
        let expected = scalar.text.prefix(offset + 1)
        guard written.hasPrefix(expected) else { return start }
        return SourceLocation(file: start.file, line: start.line, column: start.column + skip + offset)
    }
}

/// How several files combine: mappings merge key by key, anything else in a later file replaces the
/// earlier value whole (sequences included). The winning nodes keep their own positions.
enum TreeMerge {
    static func merge(_ base: YAMLNode, _ override: YAMLNode) -> YAMLNode {
        guard case .mapping(let basePairs) = base.content, case .mapping(let overridePairs) = override.content else {
            return override
        }
        var merged = basePairs
        for pair in overridePairs {
            if let index = merged.firstIndex(where: { $0.key.plainKey != nil && $0.key.plainKey == pair.key.plainKey })
            {
                merged[index] = YAMLPair(key: pair.key, value: merge(merged[index].value, pair.value))
            } else {
                merged.append(pair)
            }
        }
        var node = base
        node.content = .mapping(merged)
        return node
    }
}
