/// What the runner needs from a container engine. Two implementations: `DockerAPIEngine` (sdk, the
/// Docker Engine HTTP API) and `DockerCLIEngine` (cli, the docker or podman command).
///
/// Every method either does what it says or throws an `EngineError` whose message says what to do.
/// Methods on a container that is already gone say so with `EngineError.Code.noSuchContainer`,
/// except `removeContainer`, for which "already gone" is success.
public protocol ContainerEngine: Sendable {
    /// Which engine this is and what it talks to, for logs and status tables.
    var identity: EngineIdentity { get }

    /// Reaches the engine and agrees on an API version.
    func version() async throws(EngineError) -> EngineVersion

    /// The image's id and platform, or nil when the engine does not have it.
    func inspectImage(_ reference: String) async throws(EngineError) -> ImageInfo?

    /// Pulls an image, reporting progress as it goes.
    func pullImage(
        _ reference: String,
        platform: String?,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError)

    /// Builds an image from an in-memory Dockerfile and returns its id (`sha256:<64 hex>`).
    func buildImage(
        _ request: BuildRequest,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) -> String

    /// Creates and starts a container; returns its id. When starting fails, nothing is left behind.
    /// A host port the engine chose that turns out to be held elsewhere is chosen again
    /// (`ChosenPortRetry`); a port the spec names is never changed.
    func runContainer(_ spec: ContainerSpec) async throws(EngineError) -> String

    /// The container's state, or nil when there is no such container.
    func inspectContainer(_ idOrName: String) async throws(EngineError) -> ContainerInfo?

    /// Every container, running or not, that carries all the given labels (a nil value: any value).
    func listContainers(labels: [String: String?]) async throws(EngineError) -> [ContainerInfo]

    /// The last `tail` lines (all when nil) of the container's output, stdout and stderr apart.
    func logs(_ idOrName: String, tail: Int?) async throws(EngineError) -> ContainerLogs

    /// Stops the container: SIGTERM, then SIGKILL after `grace` seconds.
    func stopContainer(_ idOrName: String, grace: Int) async throws(EngineError)

    /// Sends a signal (default SIGKILL) to a running container.
    func killContainer(_ idOrName: String, signal: String?) async throws(EngineError)

    /// Removes the container, running or not (force). A container that is already gone is success.
    func removeContainer(_ idOrName: String) async throws(EngineError)

    /// Removes an image. An image that is already gone is success.
    func removeImage(_ reference: String, force: Bool) async throws(EngineError)
}

/// Which engine, which program or endpoint, for display. Never holds a secret.
public struct EngineIdentity: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case sdk
        case cli
    }

    public var kind: Kind
    /// `docker` or `podman`: the runtime on the other side.
    public var runtime: String
    /// The endpoint as shown to users, such as `unix:///var/run/docker.sock` or `ssh://root@127.0.0.1:2222`.
    public var endpoint: String

    public init(kind: Kind, runtime: String, endpoint: String) {
        self.kind = kind
        self.runtime = runtime
        self.endpoint = endpoint
    }
}

public struct EngineVersion: Sendable, Hashable, Codable {
    /// The engine's product version, such as `20.10.24` or `4.3.1`.
    public var version: String
    /// The API version in use after negotiation (sdk), or the one the engine reports (cli).
    public var apiVersion: String
    public var os: String
    public var architecture: String

    public init(version: String, apiVersion: String, os: String, architecture: String) {
        self.version = version
        self.apiVersion = apiVersion
        self.os = os
        self.architecture = architecture
    }
}

public struct ImageInfo: Sendable, Hashable, Codable {
    /// `sha256:<64 hex>`.
    public var id: String
    public var tags: [String]
    public var os: String?
    public var architecture: String?

    public init(id: String, tags: [String], os: String?, architecture: String?) {
        self.id = id
        self.tags = tags
        self.os = os
        self.architecture = architecture
    }
}

/// A progress line from a pull or a build.
public struct ProgressEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case pull
        case build
    }

    public var kind: Kind
    /// The layer or step id, when the engine gives one.
    public var id: String?
    /// The status or output text, as the engine gave it, without a trailing newline.
    public var message: String
    public var current: Int64?
    public var total: Int64?

    public init(kind: Kind, id: String? = nil, message: String, current: Int64? = nil, total: Int64? = nil) {
        self.kind = kind
        self.id = id
        self.message = message
        self.current = current
        self.total = total
    }
}

public struct BuildRequest: Sendable, Hashable {
    public var dockerfile: String
    public var buildArgs: [String: String]
    public var platform: String?
    /// A tag for the result, or nil for an untagged image known by its id.
    public var tag: String?
    public var labels: [String: String]

    public init(
        dockerfile: String,
        buildArgs: [String: String] = [:],
        platform: String? = nil,
        tag: String? = nil,
        labels: [String: String] = [:]
    ) {
        self.dockerfile = dockerfile
        self.buildArgs = buildArgs
        self.platform = platform
        self.tag = tag
        self.labels = labels
    }
}

/// Where the container's port is published on the host.
public struct PortPublication: Sendable, Hashable, Codable {
    public var containerPort: Int
    /// nil: the engine picks a free port, read back with `inspectContainer`.
    public var hostPort: Int?
    /// nil: all interfaces, as `docker run -p` does.
    public var hostIP: String?

    public init(containerPort: Int = 8000, hostPort: Int? = nil, hostIP: String? = nil) {
        self.containerPort = containerPort
        self.hostPort = hostPort
        self.hostIP = hostIP
    }
}

/// Everything needed to create and start one container.
public struct ContainerSpec: Sendable, Hashable {
    public var name: String
    public var image: String
    /// The full argv run in the container (exec_shell followed by the command), replacing the image's CMD.
    public var command: [String]
    public var environment: [String: String]
    public var labels: [String: String]
    public var publish: PortPublication?
    public var platform: String?
    public var autoRemove: Bool
    /// `docker run` flags from the manifest's `docker_args` (without `--platform`): the cli engine passes
    /// them through, the sdk engine turns them into create-request fields with `DockerRunOptions`.
    public var runArguments: [String]

    public init(
        name: String,
        image: String,
        command: [String],
        environment: [String: String] = [:],
        labels: [String: String] = [:],
        publish: PortPublication? = nil,
        platform: String? = nil,
        autoRemove: Bool = false,
        runArguments: [String] = []
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.environment = environment
        self.labels = labels
        self.publish = publish
        self.platform = platform
        self.autoRemove = autoRemove
        self.runArguments = runArguments
    }
}

public struct ContainerInfo: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case created, running, paused, restarting, removing, exited, dead, unknown
    }

    public var id: String
    /// Without the leading `/` the API puts there.
    public var name: String
    public var image: String
    public var imageID: String?
    public var status: Status
    public var exitCode: Int?
    /// The engine's own error text for a container that failed to start.
    public var error: String?
    public var labels: [String: String]
    /// Published ports: container port (such as 8000) → host address.
    public var ports: [Int: HostAddress]

    public init(
        id: String,
        name: String,
        image: String,
        imageID: String?,
        status: Status,
        exitCode: Int?,
        error: String?,
        labels: [String: String],
        ports: [Int: HostAddress]
    ) {
        self.id = id
        self.name = name
        self.image = image
        self.imageID = imageID
        self.status = status
        self.exitCode = exitCode
        self.error = error
        self.labels = labels
        self.ports = ports
    }
}

public struct HostAddress: Sendable, Hashable, Codable {
    public var ip: String
    public var port: Int

    public init(ip: String, port: Int) {
        self.ip = ip
        self.port = port
    }
}

public struct ContainerLogs: Sendable, Hashable {
    public var stdout: String
    public var stderr: String

    public init(stdout: String, stderr: String) {
        self.stdout = stdout
        self.stderr = stderr
    }
}
