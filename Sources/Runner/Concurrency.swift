/// Runs `body` over `items` with at most `limit` at a time; results come back in the items' order.
func concurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item],
    limit: Int,
    _ body: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        func launch() {
            guard next < items.count else { return }
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, await body(item)) }
        }
        for _ in 0..<max(1, limit) { launch() }
        while let (index, result) = await group.next() {
            results[index] = result
            launch()
        }
        return results.map { $0! }
    }
}
