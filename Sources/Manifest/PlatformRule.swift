import Diagnostics
import YAMLDocument

/// SWE-ReX's `--platform` rule: a `--platform X` or `--platform=X` in `docker_args` is moved into
/// `platform`. Giving the platform in both places, twice, or without a value is an error.
///
/// Every `--platform` (and its value) leaves `docker_args` even when it is in error, so that one
/// mistake is not reported again by later checks of `docker_args`.
enum PlatformRule {
    static func apply(to decoded: inout DecodedDeployment, into diagnostics: inout [Diagnostic]) {
        let arguments = decoded.config.dockerArgs
        let nodes = decoded.argumentNodes
        // Nearly every deployment has no --platform: then, arguments and nodes in step, nothing changes.
        let mentionsPlatform = arguments.contains { $0 == "--platform" || $0.hasPrefix("--platform=") }
        if !mentionsPlatform && nodes.count == arguments.count { return }
        let location = { (index: Int) in nodes.indices.contains(index) ? nodes[index].location : nil }
        var kept: [(argument: String, node: YAMLNode?)] = []
        var found: [(value: String, location: SourceLocation?)] = []
        var failed = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument == "--platform" || argument.hasPrefix("--platform=") else {
                kept.append((argument, nodes.indices.contains(index) ? nodes[index] : nil))
                index += 1
                continue
            }
            let value: String
            if argument == "--platform" {
                guard index + 1 < arguments.count else {
                    diagnostics.append(
                        .error("'--platform' at the end of docker_args has no value", at: location(index)))
                    failed = true
                    break
                }
                value = arguments[index + 1]
            } else {
                value = String(argument.dropFirst("--platform=".count))
            }
            if value.isEmpty || value.hasPrefix("-") {
                let shown = value.isEmpty ? "an empty value" : "'\(value)', not a platform"
                diagnostics.append(.error("'--platform' in docker_args is followed by \(shown)", at: location(index)))
                failed = true
            } else if !found.isEmpty {
                diagnostics.append(.error("docker_args gives '--platform' more than once", at: location(index)))
                failed = true
            }
            found.append((value, location(index)))
            index += argument == "--platform" ? 2 : 1
        }
        decoded.config.dockerArgs = kept.map(\.argument)
        decoded.argumentNodes = kept.compactMap(\.node)
        guard !failed, let first = found.first else { return }
        if decoded.config.platform != nil {
            var conflict = Diagnostic.error(
                "'--platform' in docker_args conflicts with platform: give the platform in one place",
                at: first.location
            )
            if let platformNode = decoded.nodes["platform"] {
                conflict.notes = [.note("platform is set here", at: platformNode.location)]
            }
            diagnostics.append(conflict)
            return
        }
        decoded.config.platform = first.value
    }
}
