import Diagnostics
import YAMLDocument

/// SWE-ReX's `--platform` rule: a `--platform X` or `--platform=X` in `docker_args` is moved into
/// `platform`. Giving the platform in both places, twice, or without a value is an error.
enum PlatformRule {
    static func apply(to decoded: inout DecodedDeployment, into diagnostics: inout [Diagnostic]) {
        let arguments = decoded.config.dockerArgs
        let nodes = decoded.argumentNodes
        var kept: [String] = []
        var keptNodes: [YAMLNode] = []
        var found: (value: String, location: SourceLocation?)?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let location = nodes.indices.contains(index) ? nodes[index].location : nil
            guard argument == "--platform" || argument.hasPrefix("--platform=") else {
                kept.append(argument)
                if nodes.indices.contains(index) { keptNodes.append(nodes[index]) }
                index += 1
                continue
            }
            let value: String
            if argument == "--platform" {
                guard index + 1 < arguments.count else {
                    diagnostics.append(.error("'--platform' at the end of docker_args has no value", at: location))
                    return
                }
                value = arguments[index + 1]
                index += 2
            } else {
                value = String(argument.dropFirst("--platform=".count))
                index += 1
            }
            guard !value.isEmpty, !value.hasPrefix("-") else {
                let shown = value.isEmpty ? "an empty value" : "'\(value)', not a platform"
                diagnostics.append(.error("'--platform' in docker_args is followed by \(shown)", at: location))
                return
            }
            if found != nil {
                diagnostics.append(.error("docker_args gives '--platform' more than once", at: location))
                return
            }
            found = (value, location)
        }
        guard let found else { return }
        if decoded.config.platform != nil {
            var conflict = Diagnostic.error(
                "'--platform' in docker_args conflicts with platform: give the platform in one place",
                at: found.location
            )
            if let platformNode = decoded.nodes["platform"] {
                conflict.notes = [.note("platform is set here", at: platformNode.location)]
            }
            diagnostics.append(conflict)
            return
        }
        decoded.config.platform = found.value
        decoded.config.dockerArgs = kept
        decoded.argumentNodes = keptNodes
    }
}
