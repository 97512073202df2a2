import Diagnostics
import Foundation
import YAMLDocument

/// A deployment mapping decoded into a `DeploymentConfig`, with the nodes it came from.
struct DecodedDeployment: Sendable {
    var config = DeploymentConfig()
    /// The value node of every key the mapping sets, for later checks that point at them.
    var nodes = KeyedNodes()
    /// The nodes of `docker_args`' elements, kept in step with `config.dockerArgs`.
    var argumentNodes: [YAMLNode] = []
    /// The key nodes of `docker_env`, by variable name.
    var environmentKeys: [String: YAMLNode] = [:]
    /// The value nodes of `docker_env`, by variable name.
    var environmentValues: [String: YAMLNode] = [:]
}

/// Turns a deployment mapping into a `DeploymentConfig`, following `DeploymentField.all`, and
/// reports every problem at the node it concerns.
struct DeploymentDecoder {
    /// Where the mapping sits, for unknown-key messages: "in deployment 'web'", "in defaults".
    var place: String
    /// Keys allowed besides the fields (such as `replicas` in a project), decoded by the caller.
    var extraKeys: [String] = []
    /// Keys that belong elsewhere, with the message to give when they appear here.
    var misplacedKeys: [String: String] = [:]
    /// Further words an unknown key may be a misspelling of (`deployments` in a single-deployment file).
    var alsoSuggested: [String] = []
    /// The folder of each file, to make `docker_cert_path` absolute.
    var folderOfFile: @Sendable (String) -> String

    /// Decodes `mapping` on top of `base` (a project's decoded `defaults:`): keys it sets replace the
    /// base's, except `docker_env`, whose variables are merged.
    func decode(
        _ mapping: YAMLNode,
        over base: DecodedDeployment = DecodedDeployment(),
        into diagnostics: inout [Diagnostic]
    ) -> DecodedDeployment {
        var decoded = base
        if mapping.isNull { return decoded }
        guard case .mapping(let pairs) = mapping.content else {
            diagnostics.append(
                .error("a deployment must be a mapping of settings; found \(mapping.described)", at: mapping.location))
            return decoded
        }
        decoded.nodes.reserveCapacity(decoded.nodes.count + pairs.count)
        for pair in pairs {
            guard let key = pair.key.plainKey else {
                diagnostics.append(
                    .error("a deployment key must be a string; found \(pair.key.described)", at: pair.key.location))
                continue
            }
            if extraKeys.contains(key) {
                decoded.nodes[key] = pair.value
                continue
            }
            guard let field = DeploymentField.named(key) else {
                let message =
                    misplacedKeys[key] ?? "unknown key '\(key)' \(place)"
                    + EditDistance.hint(for: key, among: DeploymentField.names + extraKeys + alsoSuggested)
                diagnostics.append(.error(message, at: pair.key.location))
                continue
            }
            decoded.nodes[key] = pair.value
            guard var value = decodeValue(field, pair.value, into: &diagnostics) else { continue }
            switch (value, pair.value.content) {
            case (.list, .sequence(let items)) where field.name == "docker_args":
                decoded.argumentNodes = items
            case (.map(let environment), .mapping(let environmentPairs)):
                value = .map(decoded.config.dockerEnv.merging(environment) { _, new in new })
                for environmentPair in environmentPairs {
                    guard let name = environmentPair.key.plainKey else { continue }
                    decoded.environmentKeys[name] = environmentPair.key
                    decoded.environmentValues[name] = environmentPair.value
                }
            default:
                break
            }
            field.write(&decoded.config, value)
        }
        return decoded
    }

    private func decodeValue(_ field: DeploymentField, _ node: YAMLNode, into diagnostics: inout [Diagnostic])
        -> DeploymentField.Value?
    {
        var elementProblems: [Diagnostic] = []
        do throws(Diagnostic) {
            let value = try value(of: field, node, elementProblems: &elementProblems)
            diagnostics += elementProblems
            return elementProblems.isEmpty ? value : nil
        } catch {
            diagnostics.append(error)
            return nil
        }
    }

    /// The field's value; problems with single elements of a list or mapping go to `elementProblems`,
    /// so that all of them are reported.
    private func value(
        of field: DeploymentField,
        _ node: YAMLNode,
        elementProblems: inout [Diagnostic]
    ) throws(Diagnostic) -> DeploymentField.Value {
        let name = field.name
        switch field.kind {
        case .text:
            let text = try string(node, "\(name) must be a string")
            guard !text.isEmpty else { throw .error("\(name) must not be empty", at: node.location) }
            if name == "docker_internal_host" {
                return .text(try InternalHost.normalise(text, at: node.location))
            }
            if name == "image", let problem = ImageReference.problem(with: text) {
                throw .error("image is not a valid image reference: \(problem)", at: node.location)
            }
            return .text(text)
        case .optionalText:
            if node.isNull { return .optionalText(nil) }
            let text = try string(node, "\(name) must be a string or null")
            guard !text.isEmpty else {
                throw .error("\(name) must not be empty; remove it or write null", at: node.location)
            }
            if name == "docker_cert_path", !text.hasPrefix("/") {
                let folder = folderOfFile(node.location.file)
                return .optionalText((folder as NSString).appendingPathComponent(text))
            }
            return .optionalText(text)
        case .optionalPort:
            if node.isNull { return .optionalInt(nil) }
            guard let port = LaxValue.integer(try node.value()) else {
                throw .error(
                    "\(name) must be an integer from 1 to 65535, or null; found \(node.described)", at: node.location)
            }
            guard (1...65535).contains(port) else {
                throw .error("\(name) \(port) is outside 1-65535", at: node.location)
            }
            return .optionalInt(port)
        case .positiveNumber:
            guard let seconds = LaxValue.number(try node.value()) else {
                throw .error("\(name) must be a number of seconds; found \(node.described)", at: node.location)
            }
            guard seconds > 0, seconds.isFinite else {
                throw .error(
                    "\(name) must be a finite number of seconds greater than 0; found \(node.described)",
                    at: node.location)
            }
            return .number(seconds)
        case .flag:
            guard let flag = LaxValue.flag(try node.value()) else {
                throw .error("\(name) must be true or false; found \(node.described)", at: node.location)
            }
            return .flag(flag)
        case .choice(let choices):
            let quoted = { choices.map { "'\($0)'" }.joined(separator: ", ") }
            let text = try string(node, "\(name) must be one of \(quoted())")
            guard choices.contains(text) else {
                throw .error(
                    "\(name) must be one of \(quoted()); found '\(text)'"
                        + EditDistance.hint(for: text, among: choices),
                    at: node.location
                )
            }
            return .text(text)
        case .discriminator(let only):
            let text = try string(node, "\(name) must be '\(only)'")
            guard text == only else {
                throw .error(
                    "deployment type '\(text)' is not supported: swerex-run runs only '\(only)' deployments",
                    at: node.location
                )
            }
            return .text(text)
        case .textList(let nonEmpty):
            return .list(try list(node, name: name, nonEmpty: nonEmpty, problems: &elementProblems))
        case .textMap:
            return .map(try environmentMap(node, name: name, problems: &elementProblems))
        }
    }

    /// A scalar typed as a string by the core schema; numbers and booleans must be quoted.
    /// - Parameter expectation: the start of the error message; made only when there is an error.
    private func string(_ node: YAMLNode, _ expectation: @autoclosure () -> String) throws(Diagnostic) -> String {
        guard case .string(let text) = try node.value() else {
            throw .error("\(expectation()); found \(node.described)", at: node.location)
        }
        return text
    }

    private func list(
        _ node: YAMLNode,
        name: String,
        nonEmpty: Bool,
        problems: inout [Diagnostic]
    ) throws(Diagnostic) -> [String] {
        guard case .sequence(let items) = node.content else {
            throw .error("\(name) must be a sequence of strings; found \(node.described)", at: node.location)
        }
        if nonEmpty && items.isEmpty {
            throw .error("\(name) must not be empty", at: node.location)
        }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = try item.value() else {
                let hint = item.isScalar && !item.isNull ? " (quote it)" : ""
                problems.append(
                    .error("\(name)[\(index)] must be a string; found \(item.described)\(hint)", at: item.location))
                continue
            }
            strings.append(text)
        }
        return strings
    }

    /// Names to strings, each value exactly as written.
    private func environmentMap(
        _ node: YAMLNode,
        name: String,
        problems: inout [Diagnostic]
    ) throws(Diagnostic) -> [String: String] {
        if node.isNull { return [:] }
        guard case .mapping(let pairs) = node.content else {
            throw .error(
                "\(name) must be a mapping of variable names to strings; found \(node.described)", at: node.location)
        }
        var environment: [String: String] = [:]
        for pair in pairs {
            guard let key = pair.key.plainKey, !key.isEmpty, !key.contains("="), !key.contains("\0") else {
                problems.append(
                    .error(
                        "\(name) key \(pair.key.described) is not an environment variable name", at: pair.key.location))
                continue
            }
            if pair.value.isNull {
                problems.append(
                    .error("\(name).\(key) has no value; write '' for an empty string", at: pair.value.location))
                continue
            }
            guard case .scalar(let scalar) = pair.value.content else {
                problems.append(
                    .error("\(name).\(key) must be a string; found \(pair.value.described)", at: pair.value.location))
                continue
            }
            environment[key] = scalar.text
        }
        return environment
    }
}

extension YAMLNode {
    /// The key's text when it is a non-null scalar.
    var plainKey: String? {
        guard case .scalar(let scalar) = content, !isNull else { return nil }
        return scalar.text
    }

    var isScalar: Bool {
        if case .scalar = content { return true }
        return false
    }

    /// The value as a message shows it: "the string 'x'", "the integer 5", "null", "a mapping".
    var described: String {
        switch content {
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        case .scalar(let scalar):
            switch try? value() {
            case .null: return "null"
            case .bool: return "the boolean \(scalar.text)"
            case .int: return "the integer \(scalar.text)"
            case .double: return "the number \(scalar.text)"
            default: return "the string '\(scalar.text)'"
            }
        }
    }
}
