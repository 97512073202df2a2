import Diagnostics
import YAMLDocument

/// One deployment as the manifest lists it, before its engine and endpoint are decided.
struct DeploymentEntry: Sendable {
    var name: String
    var replicas: Int
    var decoded: DecodedDeployment
    /// Where problems that are not about one key point: the deployment's name, or nothing for a
    /// single-deployment file.
    var anchor: SourceLocation?
}

/// Reads the merged document as one of the three shapes: a single deployment, a project
/// (`deployments:`, `defaults:`, `project:`), or an agent run config (`env.deployment` or `deployment`).
struct ProjectReader {
    static let projectKeys = ["project", "deployments", "defaults"]
    static let maxReplicas = 256

    /// The name of a deployment read from a file that holds only one.
    var singleName: String
    var folderOfFile: @Sendable (String) -> String

    struct Result {
        var projectName: String?
        var projectNameLocation: SourceLocation?
        var entries: [DeploymentEntry] = []
    }

    func read(_ root: YAMLNode, into diagnostics: inout [Diagnostic]) -> Result {
        guard case .mapping(let pairs) = root.content else {
            diagnostics.append(.error("a manifest must be a mapping; found \(root.described)", at: root.location))
            return Result()
        }
        let keys = Set(pairs.compactMap { $0.key.plainKey })
        if keys.contains("deployments") { return readProject(pairs, into: &diagnostics) }
        if keys.contains("env") || keys.contains("deployment") { return readAgentConfig(pairs, into: &diagnostics) }
        var decoder = decoder(place: "in the deployment", extraKeys: [])
        decoder.alsoSuggested = ["deployments", "deployment"]
        var decoded = decoder.decode(root, into: &diagnostics)
        PlatformRule.apply(to: &decoded, into: &diagnostics)
        return Result(entries: [DeploymentEntry(name: singleName, replicas: 1, decoded: decoded, anchor: nil)])
    }

    private func decoder(place: String, extraKeys: [String]) -> DeploymentDecoder {
        var misplaced: [String: String] = [:]
        if !extraKeys.contains("replicas") {
            misplaced["replicas"] = "replicas is only allowed for deployments of a project (under 'deployments:')"
        }
        for key in ["project", "defaults"] {
            misplaced[key] = "'\(key)' belongs to a project, which lists its deployments under 'deployments:'"
        }
        return DeploymentDecoder(
            place: place,
            extraKeys: extraKeys,
            misplacedKeys: misplaced,
            folderOfFile: folderOfFile
        )
    }

    // MARK: - Project

    private func readProject(_ pairs: [YAMLPair], into diagnostics: inout [Diagnostic]) -> Result {
        var result = Result()
        let value = { (key: String) in pairs.first { $0.key.plainKey == key } }
        for pair in pairs {
            guard let key = pair.key.plainKey, !Self.projectKeys.contains(key) else { continue }
            let message =
                DeploymentField.named(key) != nil || key == "replicas"
                ? "'\(key)' is a deployment setting: put it under 'defaults:' or under a deployment"
                : "unknown key '\(key)' at the top of a project" + EditDistance.hint(for: key, among: Self.projectKeys)
            diagnostics.append(.error(message, at: pair.key.location))
        }
        if let project = value("project") {
            result.projectNameLocation = project.value.location
            if case .string(let name)? = try? project.value.value() {
                if let problem = ProjectName.problem(with: name) {
                    diagnostics.append(.error(problem, at: project.value.location))
                }
                result.projectName = name
            } else {
                diagnostics.append(
                    .error(
                        "project must be a name (a string); found \(project.value.described)",
                        at: project.value.location)
                )
            }
        }
        let defaultsDecoder = decoder(place: "in defaults", extraKeys: ["replicas"])
        var defaults = DecodedDeployment()
        if let pair = value("defaults") {
            defaults = defaultsDecoder.decode(pair.value, into: &diagnostics)
        }
        guard let deployments = value("deployments") else { return result }
        guard case .mapping(let entries) = deployments.value.content, !entries.isEmpty else {
            let isEmptyMapping = if case .mapping = deployments.value.content { true } else { false }
            let found = deployments.value.isNull || isEmptyMapping ? "no deployments" : deployments.value.described
            diagnostics.append(
                .error(
                    "deployments must map each deployment's name to its settings; found \(found)",
                    at: deployments.value.location
                )
            )
            return result
        }
        var seen: [String: SourceLocation] = [:]
        // One decoder for all deployments; only the place its messages name changes.
        var entryDecoder = decoder(place: "", extraKeys: ["replicas"])
        for entry in entries {
            guard let name = entry.key.plainKey else {
                diagnostics.append(.error("a deployment name must be a string", at: entry.key.location))
                continue
            }
            if let problem = DeploymentName.problem(with: name) {
                diagnostics.append(.error(problem, at: entry.key.location))
            }
            if let first = seen[name] {
                var duplicate = Diagnostic.error("deployment '\(name)' is listed twice", at: entry.key.location)
                duplicate.notes = [.note("first listed here", at: first)]
                diagnostics.append(duplicate)
                continue
            }
            seen[name] = entry.key.location
            entryDecoder.place = "in deployment '\(name)'"
            var decoded = entryDecoder.decode(entry.value, over: defaults, into: &diagnostics)
            PlatformRule.apply(to: &decoded, into: &diagnostics)
            let replicas = replicaCount(decoded.nodes["replicas"], into: &diagnostics)
            result.entries.append(
                DeploymentEntry(name: name, replicas: replicas, decoded: decoded, anchor: entry.key.location))
        }
        return result
    }

    private func replicaCount(_ node: YAMLNode?, into diagnostics: inout [Diagnostic]) -> Int {
        guard let node else { return 1 }
        guard let value = try? node.value(), let count = LaxValue.integer(value), (1...Self.maxReplicas).contains(count)
        else {
            diagnostics.append(
                .error(
                    "replicas must be an integer from 1 to \(Self.maxReplicas); found \(node.described)",
                    at: node.location)
            )
            return 1
        }
        return count
    }

    // MARK: - Agent run config

    private func readAgentConfig(_ pairs: [YAMLPair], into diagnostics: inout [Diagnostic]) -> Result {
        var ignored: [(name: String, location: SourceLocation)] = []
        var deployment: YAMLPair?
        for pair in pairs {
            let key = pair.key.plainKey ?? pair.key.described
            if key == "deployment" {
                deployment = pair
            } else if key == "env", case .mapping(let environmentPairs) = pair.value.content {
                for inner in environmentPairs {
                    if inner.key.plainKey == "deployment" {
                        deployment = deployment ?? inner
                    } else {
                        ignored.append(("env.\(inner.key.plainKey ?? inner.key.described)", inner.key.location))
                    }
                }
            } else {
                ignored.append((key, pair.key.location))
            }
        }
        guard let deployment else {
            let env = pairs.first { $0.key.plainKey == "env" }
            diagnostics.append(
                .error(
                    "this agent run config has no env.deployment: swerex-run needs a docker deployment to run",
                    at: env?.key.location
                )
            )
            return Result()
        }
        if let first = ignored.first {
            let names = ignored.map(\.name).joined(separator: ", ")
            diagnostics.append(
                .warning(
                    "only the deployment is read from this agent run config; ignoring \(names)", at: first.location)
            )
        }
        let decoder = decoder(place: "in the deployment", extraKeys: [])
        var decoded = decoder.decode(deployment.value, into: &diagnostics)
        PlatformRule.apply(to: &decoded, into: &diagnostics)
        let entry = DeploymentEntry(name: singleName, replicas: 1, decoded: decoded, anchor: deployment.key.location)
        return Result(entries: [entry])
    }
}

/// Project names, as Compose has them: lowercase letters, digits, `_` and `-`, starting with a letter
/// or digit. The one rule for every project name: the manifest's, `-p`'s, and the runner's, for which a
/// project name becomes a file name in the state and lock folders.
public enum ProjectName {
    /// Why `name` is not a project name, or nil when it is one.
    public static func problem(with name: String) -> String? {
        guard let first = name.first, first.isASCII, first.isLowercase || first.isNumber,
            name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") })
        else {
            return
                "project name '\(name)' must be lowercase letters, digits, '_' and '-', starting with a letter or digit"
        }
        return nil
    }

    /// A folder or file name made into a project name: lowercased, other characters dropped.
    static func normalised(_ text: String) -> String {
        let kept = text.lowercased().filter { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") }
        return String(kept.drop { $0 == "_" || $0 == "-" })
    }
}

/// Deployment names go into container names: letters, digits, `_`, `.` and `-`.
enum DeploymentName {
    static let maxLength = 63

    static func problem(with name: String) -> String? {
        // Every allowed character is one ASCII byte, so the check can run on UTF-8 bytes.
        let utf8 = name.utf8
        guard let first = utf8.first, isAlphanumeric(first),
            utf8.allSatisfy({
                isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
            })
        else {
            return
                "deployment name '\(name)' must be letters, digits, '_', '.' and '-', starting with a letter or digit"
        }
        guard utf8.count <= maxLength else {
            return "deployment name '\(name)' is longer than \(maxLength) characters"
        }
        return nil
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: false
        }
    }
}
