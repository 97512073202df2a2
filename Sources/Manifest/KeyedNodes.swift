import YAMLDocument

/// Nodes by mapping key, kept in a list: a deployment sets a dozen keys at most, and for so few a search
/// in order costs less than a hash table (made for each of thousands of deployments).
struct KeyedNodes: Sendable {
    private var entries: [(key: String, node: YAMLNode)] = []

    var count: Int { entries.count }

    /// The node under `key`; setting nil removes it.
    subscript(key: String) -> YAMLNode? {
        get { entries.first { $0.key == key }?.node }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let node?): entries[index].node = node
            case (let index?, nil): entries.remove(at: index)
            case (nil, let node?): entries.append((key, node))
            case (nil, nil): break
            }
        }
    }

    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }
}
