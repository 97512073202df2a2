import Diagnostics
import YAMLDocument

/// SWE-ReX's `--platform` rule: a `--platform X` or `--platform=X` in `docker_args` is moved into
/// `platform`. Giving the platform in both places, twice, or without a value is an error; every such
/// problem is reported, not only the first.
///
/// Every `--platform` (and its value) leaves `docker_args` even when it is in error, so that one
/// mistake is not reported again by later checks of `docker_args`. A flag after a valueless
/// `--platform` stays, to be checked as itself.
enum PlatformRule {
    static func apply(to decoded: inout DecodedDeployment, into diagnostics: inout [Diagnostic]) {
        let arguments = decoded.config.dockerArgs
        let nodes = decoded.argumentNodes
        // Nearly every deployment has no --platform: then, arguments and nodes in step, nothing changes.
        let mentionsPlatform = arguments.contains { $0 == "--platform" || $0.hasPrefix("--platform=") }
        if !mentionsPlatform && nodes.count == arguments.count { return }
        let location = { (index: Int) in nodes.indices.contains(index) ? nodes[index].location : nil }
        var kept: [(argument: String, node: YAMLNode?)] = []
        var occurrences: [Int] = []
        var platform: String?
        var failed = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument == "--platform" || argument.hasPrefix("--platform=") else {
                kept.append((argument, nodes.indices.contains(index) ? nodes[index] : nil))
                index += 1
                continue
            }
            let here = location(index)
            if let first = occurrences.first {
                var repeated = Diagnostic.error("docker_args gives '--platform' more than once", at: here)
                repeated.notes = [.note("first given here", at: location(first))]
                diagnostics.append(repeated)
                failed = true
            }
            occurrences.append(index)
            let (value, width) = platformValue(in: arguments, at: index)
            index += width
            guard let value else {
                diagnostics.append(.error("'--platform' at the end of docker_args has no value", at: here))
                failed = true
                continue
            }
            if value.isEmpty || value.hasPrefix("-") {
                let shown = value.isEmpty ? "an empty value" : "'\(value)', not a platform"
                diagnostics.append(.error("'--platform' in docker_args is followed by \(shown)", at: here))
                failed = true
                continue
            }
            platform = platform ?? value
        }
        decoded.config.dockerArgs = kept.map(\.argument)
        decoded.argumentNodes = kept.compactMap(\.node)
        guard let first = occurrences.first else { return }
        if decoded.config.platform != nil {
            var conflict = Diagnostic.error(
                "'--platform' in docker_args conflicts with platform: give the platform in one place",
                at: location(first)
            )
            if let platformNode = decoded.nodes["platform"] {
                conflict.notes = [.note("platform is set here", at: platformNode.location)]
            }
            diagnostics.append(conflict)
            return
        }
        if !failed { decoded.config.platform = platform }
    }

    /// The value of the `--platform` at `index` (nil at the end of the list) and how many arguments the
    /// flag and its value take up; a following flag is not taken as the value, so it is checked itself.
    private static func platformValue(in arguments: [String], at index: Int) -> (String?, Int) {
        let argument = arguments[index]
        guard argument == "--platform" else { return (String(argument.dropFirst("--platform=".count)), 1) }
        guard index + 1 < arguments.count else { return (nil, 1) }
        let next = arguments[index + 1]
        return (next, next.hasPrefix("-") ? 1 : 2)
    }
}
