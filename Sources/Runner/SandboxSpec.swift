public import ContainerEngine
public import Manifest

/// One replica the manifest asks for: where it runs, what it is, and how it is handled.
public struct SandboxSpec: Sendable, Hashable {
    public var project: String
    public var deployment: String
    /// 1-based.
    public var replica: Int
    public var identity: SandboxIdentity
    /// The deployment as the manifest resolved it (engine, endpoint, timeouts, policies).
    public var resolved: ResolvedDeployment

    public init(project: String, deployment: ResolvedDeployment, replica: Int) {
        self.project = project
        self.deployment = deployment.name
        self.replica = replica
        self.resolved = deployment
        let config = deployment.config
        self.identity = SandboxIdentity(
            image: config.image,
            platform: config.platform,
            port: config.port,
            dockerArgs: config.dockerArgs,
            execShell: config.execShell,
            pythonStandaloneDir: config.pythonStandaloneDir
        )
    }

    /// `PROJECT-DEPLOYMENT-N`: deterministic, so the engine's name check stops a second creator.
    public var name: String { SandboxSpec.name(project: project, deployment: deployment, replica: replica) }

    /// `DEPLOYMENT/N`, as `exec` and `logs` take it.
    public var address: String { "\(deployment)/\(replica)" }

    public var removeContainer: Bool { resolved.config.removeContainer }
    public var removeImages: Bool { resolved.config.removeImages }

    public static func name(project: String, deployment: String, replica: Int) -> String {
        "\(project)-\(deployment)-\(replica)"
    }

    /// Every replica of every deployment, in manifest order.
    public static func all(in project: Project) -> [SandboxSpec] {
        project.deployments.flatMap { deployment in
            (1...max(deployment.replicas, 1)).map {
                SandboxSpec(project: project.name, deployment: deployment, replica: $0)
            }
        }
    }

    /// Where published ports are bound: loopback for an engine on this machine (a local socket, or a
    /// TCP or SSH endpoint at a loopback address) whose sandboxes are probed on loopback; every
    /// interface when the engine is on another host or the manifest probes another host.
    public var publishAddress: String? {
        if let host = resolved.endpoint.remoteHost, !LivenessURL.isLoopback(host: host) { return nil }
        return LivenessURL.isLoopback(host: LivenessURL.host(of: resolved.config.dockerInternalHost))
            ? "127.0.0.1" : nil
    }

    /// The engine request for this replica with `token`, running `image` (the built id for a
    /// standalone-Python deployment, else the manifest's image).
    public func containerSpec(token: String, image: String, manifestFiles: [String]) -> ContainerSpec {
        ContainerSpec(
            name: name,
            image: image,
            command: StartCommand.argv(
                execShell: identity.execShell,
                token: token,
                standaloneDir: identity.pythonStandaloneDir
            ),
            labels: SandboxLabels.labels(for: self, manifestFiles: manifestFiles),
            publish: PortPublication(containerPort: 8000, hostPort: identity.port, hostIP: publishAddress),
            platform: identity.platform,
            autoRemove: false,
            runArguments: identity.dockerArgs
        )
    }
}
