import ContainerEngine
import Manifest
import Runner

/// Deployments and observed containers built by hand, for the pure parts of the runner.
enum Fixtures {
    static func deployment(
        _ name: String = "web",
        replicas: Int = 1,
        configure: (inout DeploymentConfig) -> Void = { _ in }
    ) -> ResolvedDeployment {
        var config = DeploymentConfig()
        config.image = "swerex-sandbox:test"
        configure(&config)
        return ResolvedDeployment(
            name: name, replicas: replicas, config: config, engine: .sdk, engineReason: "test",
            endpoint: .unix(path: "/var/run/docker.sock"), endpointSource: "default", cliEnvironment: [:])
    }

    static func project(_ deployments: ResolvedDeployment..., name: String = "demo") -> Project {
        Project(name: name, files: ["demo.yaml"], deployments: deployments, warnings: [])
    }

    /// A container as the engine would report one that `spec` created.
    static func container(
        for spec: SandboxSpec,
        id: String? = nil,
        status: ContainerInfo.Status = .running,
        exitCode: Int? = nil,
        imageID: String? = "sha256:aaaa",
        labels change: (inout [String: String]) -> Void = { _ in }
    ) -> ContainerInfo {
        var labels = SandboxLabels.labels(for: spec, manifestFiles: ["/srv/demo.yaml"])
        change(&labels)
        return ContainerInfo(
            id: id ?? "id-\(spec.name)", name: spec.name, image: spec.identity.image, imageID: imageID,
            status: status, exitCode: exitCode, error: nil, labels: labels,
            ports: [8000: HostAddress(ip: "127.0.0.1", port: 32768)])
    }

    static func foreign(name: String, labels: [String: String] = [:]) -> ContainerInfo {
        ContainerInfo(
            id: "foreign-\(name)", name: name, image: "nginx", imageID: nil, status: .running, exitCode: nil,
            error: nil, labels: labels, ports: [:])
    }
}
