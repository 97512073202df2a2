import Diagnostics

/// Turns one document's events into a node tree: anchors and aliases, merge keys, duplicate keys, and the
/// depth and alias-expansion bounds.
///
/// It keeps its own stack instead of recursing, so nesting costs heap, not call stack. An alias copies the
/// anchored node (a value type whose arrays are shared, so the copy costs no memory); the bound counts the
/// nodes the copies would make if expanded, which keeps every later walk of the tree bounded too.
struct TreeBuilder {
    /// A finished node with how many nodes it holds when fully expanded, and how deep it goes.
    private struct Built {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    /// A collection still being read.
    private struct Frame {
        var isMapping: Bool
        var anchor: String?
        var tag: String?
        var location: SourceLocation
        /// Where its items start in `items`.
        var firstItem = 0
    }

    private let limits: YAMLLimits
    private var anchors: [String: (built: Built, location: SourceLocation)] = [:]
    private var expanded = 0
    private var stack: [Frame] = []
    /// The items read so far of every open collection, innermost last (for a mapping: key, value, key,
    /// value...). One array for all of them, so that a collection's items cost no array of their own
    /// until it closes and they are copied once, at their final size.
    private var items: [Built] = []
    private var root: Built?

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    /// The document's root once its events up to the end are added, or nil for an empty document.
    func document() -> YAMLNode? {
        guard let root = root?.node else { return nil }
        if case .scalar(let scalar) = root.content, root.tag == nil, scalar.style == .plain, scalar.text.isEmpty {
            return nil
        }
        return root
    }

    /// Adds one event of the document, between its start and its end.
    mutating func add(_ event: YAMLEvent) throws(Diagnostic) {
        switch event.kind {
        case .scalar(let scalar, let anchor, let tag):
            let node = YAMLNode(.scalar(scalar), tag: tag, location: event.location)
            try finish(Built(node: node, size: 1, height: 0), anchor: anchor)
        case .alias(let anchor):
            try finish(try resolve(alias: anchor, at: event.location), anchor: nil)
        case .sequenceStart(let anchor, let tag, _):
            try open(Frame(isMapping: false, anchor: anchor, tag: tag, location: event.location))
        case .mappingStart(let anchor, let tag, _):
            try open(Frame(isMapping: true, anchor: anchor, tag: tag, location: event.location))
        case .sequenceEnd, .mappingEnd:
            let frame = stack.removeLast()
            try finish(try close(frame), anchor: frame.anchor)
        case .streamStart, .streamEnd, .documentStart, .documentEnd:
            break
        }
    }

    private mutating func open(_ frame: Frame) throws(Diagnostic) {
        var frame = frame
        frame.firstItem = items.count
        guard stack.count < limits.maxDepth else {
            throw Diagnostic.error(
                "nesting is deeper than the limit of \(limits.maxDepth) levels (YAMLLimits.maxDepth)",
                at: frame.location
            )
        }
        stack.append(frame)
    }

    private mutating func finish(_ built: Built, anchor: String?) throws(Diagnostic) {
        if let anchor { anchors[anchor] = (built, built.node.location) }
        guard !stack.isEmpty else {
            root = built
            return
        }
        items.append(built)
    }

    private mutating func resolve(alias anchor: String, at location: SourceLocation) throws(Diagnostic) -> Built {
        guard let (built, anchorLocation) = anchors[anchor] else {
            if let open = stack.last(where: { $0.anchor == anchor }) {
                throw Diagnostic(
                    .error,
                    "alias *\(anchor) refers to a node that contains it; recursive structures are not supported",
                    at: location,
                    notes: [Diagnostic.note("anchor &\(anchor) is defined here", at: open.location)]
                )
            }
            throw Diagnostic.error("alias *\(anchor) refers to no anchor defined before it", at: location)
        }
        guard built.size <= limits.maxAliasExpansion - expanded else {
            throw Diagnostic(
                .error,
                "alias *\(anchor) would bring the nodes copied by aliases in this document to "
                    + "\(expanded + built.size), past the limit of \(limits.maxAliasExpansion) "
                    + "(YAMLLimits.maxAliasExpansion)",
                at: location,
                notes: [Diagnostic.note("anchor &\(anchor) is defined here", at: anchorLocation)]
            )
        }
        guard stack.count + built.height <= limits.maxDepth else {
            throw Diagnostic(
                .error,
                "alias *\(anchor) nests deeper than the limit of \(limits.maxDepth) levels (YAMLLimits.maxDepth)",
                at: location,
                notes: [Diagnostic.note("anchor &\(anchor) is defined here", at: anchorLocation)]
            )
        }
        expanded += built.size
        return built
    }

    /// The collection made of the frame's items, which leave the item stack.
    private mutating func close(_ frame: Frame) throws(Diagnostic) -> Built {
        var size = 1
        var deepest = 0
        for index in frame.firstItem..<items.count {
            size += items[index].size
            deepest = max(deepest, items[index].height)
        }
        let height = 1 + deepest
        if frame.isMapping && (items.count - frame.firstItem) % 2 == 1 { items.removeLast() }
        let count = items.count - frame.firstItem
        // Items are moved off the end of the stack into their places from the last one back, not copied.
        let content: YAMLNode.Content
        if frame.isMapping {
            let pairs = [YAMLPair](unsafeUninitializedCapacity: count / 2) { pairs, initialized in
                for index in (0..<count / 2).reversed() {
                    let value = items.removeLast().node
                    (pairs.baseAddress! + index).initialize(to: YAMLPair(key: items.removeLast().node, value: value))
                }
                initialized = count / 2
            }
            content = .mapping(try MappingKeys.resolve(pairs))
        } else {
            let nodes = [YAMLNode](unsafeUninitializedCapacity: count) { nodes, initialized in
                for index in (0..<count).reversed() {
                    (nodes.baseAddress! + index).initialize(to: items.removeLast().node)
                }
                initialized = count
            }
            content = .sequence(nodes)
        }
        return Built(node: YAMLNode(content, tag: frame.tag, location: frame.location), size: size, height: height)
    }
}
