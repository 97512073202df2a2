public import YAMLDocument

/// The JSON Schema (draft 2020-12) of manifests, built from `DeploymentField.all`. The copy in
/// `schemas/swerex-run.schema.json` must equal `text`; a test checks it.
public enum ManifestSchema {
    public static let draft = "https://json-schema.org/draft/2020-12/schema"

    /// The schema as the file holds it: two-space indentation and a final newline.
    public static var text: String { document.jsonText(indent: 2) + "\n" }

    public static var document: JSONValue {
        .object([
            ("$schema", .string(draft)),
            ("title", .string("swerex-run manifest")),
            (
                "description",
                .string(
                    "One SWE-ReX docker deployment, a project of named deployments, or an agent run config "
                        + "holding a deployment under env.deployment. Scalars may use ${VAR} interpolation."
                )
            ),
            (
                "anyOf",
                .array([reference("deployment"), reference("project"), reference("agentRunConfig")])
            ),
            (
                "$defs",
                .object([
                    ("deployment", deployment(withReplicas: false)),
                    ("projectDeployment", deployment(withReplicas: true)),
                    ("project", project),
                    ("agentRunConfig", agentRunConfig),
                    ("interpolated", interpolated),
                ])
            ),
        ])
    }

    private static func reference(_ name: String) -> JSONValue {
        .object([("$ref", .string("#/$defs/\(name)"))])
    }

    private static var interpolated: JSONValue {
        .object([
            ("description", .string("A value given through ${VAR} interpolation, checked after substitution.")),
            ("type", .string("string")),
            ("pattern", .string("\\$\\{")),
        ])
    }

    private static func deployment(withReplicas: Bool) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        if withReplicas {
            properties.append(
                (
                    "replicas",
                    .object([
                        ("description", .string("How many identical sandboxes of this deployment to run.")),
                        ("default", .int(1)),
                        (
                            "anyOf",
                            .array([
                                .object([
                                    ("type", .string("integer")), ("minimum", .int(1)),
                                    ("maximum", .int(ProjectReader.maxReplicas)),
                                ]),
                                reference("interpolated"),
                            ])
                        ),
                    ])
                )
            )
        }
        properties += DeploymentField.all.map { ($0.name, property($0)) }
        let description =
            withReplicas
            ? "A deployment of a project: SWE-ReX's DockerDeploymentConfig keys, the engine keys and replicas."
            : "SWE-ReX's DockerDeploymentConfig keys and swerex-run's engine keys."
        return .object([
            ("description", .string(description)),
            ("type", withReplicas ? .array([.string("object"), .string("null")]) : .string("object")),
            ("additionalProperties", .bool(false)),
            ("properties", .object(properties)),
        ])
    }

    /// One field's schema: its description and default, then its type.
    static func property(_ field: DeploymentField) -> JSONValue {
        var members: [(String, JSONValue)] = [("description", .string(field.summary)), ("default", field.defaultValue)]
        let orInterpolated = { (schema: [(String, JSONValue)]) -> [(String, JSONValue)] in
            [("anyOf", .array([.object(schema), reference("interpolated")]))]
        }
        switch field.kind {
        case .text:
            members += [("type", .string("string")), ("minLength", .int(1))]
        case .optionalText:
            members += [("type", .array([.string("string"), .string("null")])), ("minLength", .int(1))]
        case .optionalPort:
            members.append(
                (
                    "anyOf",
                    .array([
                        .object([("type", .string("integer")), ("minimum", .int(1)), ("maximum", .int(65535))]),
                        .object([("type", .string("null"))]),
                        reference("interpolated"),
                    ])
                )
            )
        case .positiveNumber:
            members += orInterpolated([("type", .string("number")), ("exclusiveMinimum", .int(0))])
        case .flag:
            members += orInterpolated([("type", .string("boolean"))])
        case .choice(let choices):
            members += orInterpolated([("enum", .array(choices.map { .string($0) }))])
        case .discriminator(let only):
            members.append(("const", .string(only)))
        case .textList(let nonEmpty):
            members += [("type", .string("array")), ("items", .object([("type", .string("string"))]))]
            if nonEmpty { members.append(("minItems", .int(1))) }
        case .textMap:
            members += [
                ("type", .string("object")),
                ("propertyNames", .object([("pattern", .string("^[^=]+$"))])),
                (
                    "additionalProperties",
                    .object([("type", .array([.string("string"), .string("number"), .string("boolean")]))])
                ),
            ]
        }
        return .object(members)
    }

    private static var project: JSONValue {
        .object([
            ("description", .string("A project: named deployments, with shared defaults merged under each.")),
            ("type", .string("object")),
            ("required", .array([.string("deployments")])),
            ("additionalProperties", .bool(false)),
            (
                "properties",
                .object([
                    (
                        "project",
                        .object([
                            ("description", .string("The project's name; default: the first file's folder name.")),
                            ("type", .string("string")),
                            ("pattern", .string("^[a-z0-9][a-z0-9_-]*$")),
                        ])
                    ),
                    ("defaults", reference("projectDeployment")),
                    (
                        "deployments",
                        .object([
                            ("description", .string("Each deployment's name and its settings.")),
                            ("type", .string("object")),
                            ("minProperties", .int(1)),
                            (
                                "propertyNames",
                                .object([
                                    ("pattern", .string("^[A-Za-z0-9][A-Za-z0-9_.-]*$")),
                                    ("maxLength", .int(DeploymentName.maxLength)),
                                ])
                            ),
                            ("additionalProperties", reference("projectDeployment")),
                        ])
                    ),
                ])
            ),
        ])
    }

    private static var agentRunConfig: JSONValue {
        let holdsDeployment = JSONValue.object([
            ("type", .string("object")),
            ("properties", .object([("deployment", reference("deployment"))])),
        ])
        return .object([
            (
                "description",
                .string("An agent run config: only deployment or env.deployment is read, the rest is ignored.")
            ),
            ("type", .string("object")),
            ("properties", .object([("deployment", reference("deployment")), ("env", holdsDeployment)])),
            (
                "anyOf",
                .array([
                    .object([("required", .array([.string("deployment")]))]),
                    .object([
                        ("required", .array([.string("env")])),
                        (
                            "properties",
                            .object([("env", .object([("required", .array([.string("deployment")]))]))])
                        ),
                    ]),
                ])
            ),
            ("not", .object([("required", .array([.string("deployments")]))])),
        ])
    }
}
