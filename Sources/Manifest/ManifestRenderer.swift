import Foundation
import YAMLDocument

/// The resolved manifest as `swerex-run config` prints it: a project-shaped manifest in which every
/// field has its final value, each deployment's engine and endpoint included. The YAML form loads
/// again as a manifest. Values that look secret are replaced by `<redacted>`.
public enum ManifestRenderer {
    public enum Format: Sendable, Hashable {
        case yaml, json
    }

    public static let redacted = "<redacted>"

    /// - Parameter explain: say where each deployment's engine and endpoint came from (YAML comments,
    ///   or an `explain` member in JSON).
    public static func render(_ manifest: LoadedManifest, format: Format, explain: Bool) -> String {
        let project = manifest.project
        switch format {
        case .json:
            var members: [(String, JSONValue)] = [("project", .string(project.name))]
            if explain { members.append(("files", .array(project.files.map { .string($0) }))) }
            let deployments = project.deployments.map { deployment -> (String, JSONValue) in
                var fields = fields(of: deployment)
                if explain {
                    let reasons: JSONValue = .object([
                        ("engine", .string(deployment.engineReason)),
                        ("endpoint", .string(deployment.endpointSource)),
                    ])
                    fields.append(("explain", reasons))
                }
                return (deployment.name, .object(fields))
            }
            members.append(("deployments", .object(deployments)))
            return JSONValue.object(members).jsonText(indent: 2) + "\n"
        case .yaml:
            var writer = YAMLWriter()
            writer.comment("Resolved from \(project.files.joined(separator: ", ")) by swerex-run config")
            writer.write(key: "project", .string(project.name), level: 0)
            writer.line("deployments:", level: 0)
            for deployment in project.deployments {
                writer.line(YAMLWriter.scalar(.string(deployment.name)) + ":", level: 1)
                for (key, value) in fields(of: deployment) {
                    let note: String? =
                        switch key {
                        case "engine" where explain: deployment.engineReason
                        case "docker_endpoint" where explain: "from \(deployment.endpointSource)"
                        default: nil
                        }
                    writer.write(key: key, value, level: 2, comment: note)
                }
            }
            return writer.text
        }
    }

    /// `replicas`, then every field in table order, with the resolved engine and endpoint written in.
    static func fields(of deployment: ResolvedDeployment) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("replicas", .int(deployment.replicas))]
        for field in DeploymentField.all {
            var value = field.read(deployment.config)
            switch field.name {
            case "engine":
                value = .string(deployment.engine.rawValue)
            case "docker_endpoint":
                // Podman without an endpoint runs locally, with no socket to name.
                let local = deployment.config.containerRuntime == .podman && deployment.endpointSource == "default"
                value = local ? .null : .string(deployment.endpoint.displayString)
            case "docker_tls":
                if case .tcp(_, _, _?) = deployment.endpoint { value = .bool(true) }
            case "docker_cert_path":
                if case .tcp(_, _, let tls?) = deployment.endpoint, let file = tls.caFile ?? tls.certFile {
                    value = .string((file as NSString).deletingLastPathComponent)
                }
            case "docker_env":
                value = .object(
                    deployment.config.dockerEnv.sorted { $0.key < $1.key }.map { key, text in
                        (key, .string(looksSecret(key) ? redacted : text))
                    }
                )
            case "docker_args":
                value = .array(redactedArguments(deployment.config.dockerArgs).map { .string($0) })
            default:
                break
            }
            fields.append((field.name, value))
        }
        return fields
    }

    /// A variable name containing TOKEN, PASSWORD, PASSWD, SECRET, KEY or CREDENTIAL, or the word AUTH
    /// or PAT between `_`, `-` or `.`, in any case.
    public static func looksSecret(_ name: String) -> Bool {
        SecretRule.looksSecret(name)
    }

    /// `docker_args` with the values of secret-looking `NAME=VALUE` assignments redacted, in every form
    /// `-e`/`--env` takes (`-e NAME=VALUE`, `-eNAME=VALUE`, `-e=NAME=VALUE`, `--env=NAME=VALUE`).
    static func redactedArguments(_ arguments: [String]) -> [String] {
        arguments.map { argument in
            guard let (name, value) = SecretRule.assignment(Substring(argument)), SecretRule.looksSecret(name) else {
                return argument
            }
            return argument[..<value.startIndex] + redacted
        }
    }
}

/// Block-style YAML for `JSONValue`s, quoting any string that would not read back as the same string.
struct YAMLWriter {
    private(set) var text = ""

    mutating func comment(_ comment: String) {
        text += "# \(comment)\n"
    }

    mutating func line(_ content: String, level: Int) {
        text += String(repeating: "  ", count: level) + content + "\n"
    }

    mutating func write(key: String, _ value: JSONValue, level: Int, comment: String? = nil) {
        let suffix = comment.map { "  # \($0)" } ?? ""
        let name = Self.scalar(.string(key))
        switch value {
        case .array(let items) where !items.isEmpty:
            line("\(name):\(suffix)", level: level)
            for item in items { write(item: item, level: level + 1) }
        case .object(let members) where !members.isEmpty:
            line("\(name):\(suffix)", level: level)
            for (memberKey, memberValue) in members { write(key: memberKey, memberValue, level: level + 1) }
        default:
            line("\(name): \(Self.scalar(value))\(suffix)", level: level)
        }
    }

    private mutating func write(item: JSONValue, level: Int) {
        switch item {
        case .array, .object:
            line("- " + item.jsonText(), level: level)
        default:
            line("- " + Self.scalar(item), level: level)
        }
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return isPlainSafe(text) ? text : JSONValue.string(text).jsonText()
        case .array(let items) where items.isEmpty: return "[]"
        case .object(let members) where members.isEmpty: return "{}"
        default: return value.jsonText()
        }
    }

    /// A conservative test: letters, digits and a few punctuation marks, not starting like a number or
    /// an indicator, and not a word the core schema reads as null or a boolean.
    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" || first == "/" else {
            return false
        }
        guard !text.hasSuffix(":") else { return false }
        let reserved = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"]
        guard !reserved.contains(text.lowercased()) else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:@+=-".contains($0)) }
    }
}
