/// What makes two mapping keys the same key: equal typed values (so `a` and `"a"` clash, `1` and `"1"` do
/// not), ignoring where they are written.
enum NodeIdentity: Hashable {
    case typed(JSONValue)
    /// A scalar with a tag outside the core schema, or text that does not fit its core tag.
    case tagged(String, String)
    indirect case sequence(String?, [NodeIdentity])
    indirect case mapping(String?, [NodeIdentity])

    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar):
            if let value = try? node.value(unknownTags: .reject) {
                self = .typed(value)
            } else {
                self = .tagged(node.tag ?? "", scalar.text)
            }
        case .sequence(let items):
            self = .sequence(node.tag, items.map(NodeIdentity.init))
        case .mapping(let pairs):
            self = .mapping(node.tag, pairs.flatMap { [NodeIdentity($0.key), NodeIdentity($0.value)] })
        }
    }
}
