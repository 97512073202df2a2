public import YAMLDocument

/// One key of a deployment mapping: its YAML name, its kind, its default and what it means.
///
/// `DeploymentField.all` is the single table behind validation, `config` output and the JSON Schema;
/// a test checks it against `DeploymentConfig` and against `schemas/swerex-run.schema.json`.
public struct DeploymentField: Sendable {
    public enum Kind: Sendable, Hashable {
        case text(nonEmpty: Bool)
        case optionalText
        case optionalPort
        case positiveNumber
        case flag
        case choice([String])
        case textList(nonEmpty: Bool)
        /// Names to strings; values are kept exactly as written (`0755`, `NO` stay text).
        case textMap
        /// The only value allowed, for SWE-ReX's `type` discriminator.
        case discriminator(String)
    }

    /// A decoded value, before it is stored in a `DeploymentConfig`.
    enum Value: Sendable, Hashable {
        case text(String)
        case optionalText(String?)
        case optionalInt(Int?)
        case number(Double)
        case flag(Bool)
        case list([String])
        case map([String: String])
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: JSONValue
    public let summary: String
    /// Whether SWE-ReX's `DockerDeploymentConfig` has the key (the rest are swerex-run's engine keys).
    public let fromSWEReX: Bool
    let read: @Sendable (DeploymentConfig) -> JSONValue
    let write: @Sendable (inout DeploymentConfig, Value) -> Void
}

extension DeploymentField {
    /// Every key of a deployment, in the order `config` prints them.
    public static let all: [DeploymentField] = [
        text(
            "image", \.image, default: "python:3.11",
            "The container image to run; it must contain swerex-remote or Python 3.10+."),
        DeploymentField(
            name: "port", kind: .optionalPort, defaultValue: .null,
            summary: "Host port published to the container's port 8000; null picks a free port.", fromSWEReX: true,
            read: { config in config.port.map { .int($0) } ?? .null },
            write: { config, value in if case .optionalInt(let port) = value { config.port = port } }
        ),
        list(
            "docker_args", \.dockerArgs, default: [], nonEmpty: false,
            "Extra `docker run` flags. A --platform flag here is moved into `platform`."),
        DeploymentField(
            name: "startup_timeout", kind: .positiveNumber, defaultValue: .double(180),
            summary: "Seconds to wait for the sandbox to answer /is_alive.", fromSWEReX: true,
            read: { .double($0.startupTimeout) },
            write: { config, value in if case .number(let seconds) = value { config.startupTimeout = seconds } }
        ),
        choice("pull", \.pull, "When to pull the image: never, always, or only when it is missing."),
        flag("remove_images", \.removeImages, "Remove the image when the deployment stops."),
        optionalText(
            "python_standalone_dir", \.pythonStandaloneDir,
            "Folder inside the container for a standalone Python build; set it to build an image with one."),
        optionalText("platform", \.platform, "Image platform such as linux/amd64; null means the engine's own."),
        flag("remove_container", \.removeContainer, "Remove the container when it stops (docker run --rm)."),
        choice("container_runtime", \.containerRuntime, "Which runtime runs the containers."),
        list(
            "exec_shell", \.execShell, default: ["/bin/sh", "-c"], nonEmpty: true,
            "Command that runs the sandbox's start-up line inside the container."),
        text(
            "docker_internal_host", \.dockerInternalHost, default: "http://127.0.0.1",
            "Scheme and host where published ports are reached, without port or path; a remote "
                + "endpoint's host when not set.", fromSWEReX: true),
        DeploymentField(
            name: "type", kind: .discriminator("docker"), defaultValue: .string("docker"),
            summary: "SWE-ReX's deployment kind; only docker is supported.", fromSWEReX: true,
            read: { _ in .string("docker") },
            write: { _, _ in }
        ),
        choice(
            "engine", \.engine,
            "auto: sdk for docker, cli for podman; sdk: the Docker Engine API; cli: the "
                + "docker or podman command.", fromSWEReX: false),
        optionalText(
            "docker_endpoint", \.dockerEndpoint,
            "Daemon address: unix:///path, tcp://host[:port], https://host[:port] or "
                + "ssh://[user@]host[:port]; null follows DOCKER_HOST, then the docker context.",
            fromSWEReX: false),
        flag("docker_tls", \.dockerTLS, "Use verified TLS for a tcp:// endpoint.", fromSWEReX: false),
        optionalText(
            "docker_cert_path", \.dockerCertPath,
            "Folder with ca.pem, cert.pem and key.pem; else DOCKER_CERT_PATH, else ~/.docker. "
                + "Relative to the manifest's folder.",
            fromSWEReX: false),
        flag(
            "docker_use_ssh", \.dockerUseSSH,
            "Let the sdk engine reach an ssh:// endpoint through the ssh command.", fromSWEReX: false),
        DeploymentField(
            name: "docker_env", kind: .textMap, defaultValue: .object([]),
            summary: "Environment for the docker or podman command; DOCKER_HOST, DOCKER_TLS_VERIFY and "
                + "DOCKER_CERT_PATH also set the sdk engine's endpoint.",
            fromSWEReX: false,
            read: { config in .object(config.dockerEnv.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
            },
            write: { config, value in if case .map(let environment) = value { config.dockerEnv = environment } }
        ),
    ]

    /// The field called `name`, if there is one.
    public static func named(_ name: String) -> DeploymentField? {
        byName[name]
    }

    /// `all` by name, for `named(_:)`, which every key of every deployment goes through.
    private static let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    public static var names: [String] { all.map(\.name) }
}

extension DeploymentField {
    private static func text(
        _ name: String,
        _ path: any WritableKeyPath<DeploymentConfig, String> & Sendable,
        default value: String,
        _ summary: String,
        fromSWEReX: Bool = true
    ) -> DeploymentField {
        DeploymentField(
            name: name, kind: .text(nonEmpty: true), defaultValue: .string(value), summary: summary,
            fromSWEReX: fromSWEReX,
            read: { .string($0[keyPath: path]) },
            write: { config, value in if case .text(let text) = value { config[keyPath: path] = text } }
        )
    }

    private static func optionalText(
        _ name: String,
        _ path: any WritableKeyPath<DeploymentConfig, String?> & Sendable,
        _ summary: String,
        fromSWEReX: Bool = true
    ) -> DeploymentField {
        DeploymentField(
            name: name, kind: .optionalText, defaultValue: .null, summary: summary, fromSWEReX: fromSWEReX,
            read: { config in config[keyPath: path].map { .string($0) } ?? .null },
            write: { config, value in if case .optionalText(let text) = value { config[keyPath: path] = text } }
        )
    }

    private static func flag(
        _ name: String,
        _ path: any WritableKeyPath<DeploymentConfig, Bool> & Sendable,
        _ summary: String,
        fromSWEReX: Bool = true
    ) -> DeploymentField {
        DeploymentField(
            name: name, kind: .flag, defaultValue: .bool(DeploymentConfig()[keyPath: path]), summary: summary,
            fromSWEReX: fromSWEReX,
            read: { .bool($0[keyPath: path]) },
            write: { config, value in if case .flag(let flag) = value { config[keyPath: path] = flag } }
        )
    }

    private static func list(
        _ name: String,
        _ path: any WritableKeyPath<DeploymentConfig, [String]> & Sendable,
        default value: [String],
        nonEmpty: Bool,
        _ summary: String
    ) -> DeploymentField {
        DeploymentField(
            name: name, kind: .textList(nonEmpty: nonEmpty), defaultValue: .array(value.map { .string($0) }),
            summary: summary, fromSWEReX: true,
            read: { .array($0[keyPath: path].map { .string($0) }) },
            write: { config, value in if case .list(let items) = value { config[keyPath: path] = items } }
        )
    }

    private static func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
        _ name: String,
        _ path: any WritableKeyPath<DeploymentConfig, Choice> & Sendable,
        _ summary: String,
        fromSWEReX: Bool = true
    ) -> DeploymentField where Choice.RawValue == String {
        DeploymentField(
            name: name, kind: .choice(Choice.allCases.map(\.rawValue)),
            defaultValue: .string(DeploymentConfig()[keyPath: path].rawValue), summary: summary,
            fromSWEReX: fromSWEReX,
            read: { .string($0[keyPath: path].rawValue) },
            write: { config, value in
                if case .text(let text) = value, let choice = Choice(rawValue: text) { config[keyPath: path] = choice }
            }
        )
    }
}
