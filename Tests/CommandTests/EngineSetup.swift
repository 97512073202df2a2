import Foundation
import TestSupport

/// One way of reaching a real engine: what the manifest says, and how the test lists containers.
struct EngineSetup: Sendable, CustomStringConvertible {
    var name: String
    /// Lines under `defaults:` (indented by four spaces) selecting this engine.
    var manifestLines: [String]
    /// `docker` or `podman`, run by the test to see what the engine holds.
    var program: String

    var description: String { name }

    static let sdkDocker = EngineSetup(name: "sdk-docker", manifestLines: ["engine: sdk"], program: "docker")
    static let cliDocker = EngineSetup(name: "cli-docker", manifestLines: ["engine: cli"], program: "docker")
    static let cliPodman = EngineSetup(
        name: "cli-podman", manifestLines: ["engine: cli", "container_runtime: podman"], program: "podman")

    static let all = [sdkDocker, cliDocker, cliPodman]

    /// Why this setup cannot run here, or nil.
    var unavailable: String? {
        let environment = TestEnvironment.shared
        if let missing = environment.missing("SWEREX_TEST_SANDBOX_IMAGE", "SWEREX_TEST_BUSYBOX_IMAGE") {
            return missing
        }
        if program == "podman" && environment.podmanContainersConf == nil {
            return "test environment lacks SWEREX_TEST_CONTAINERS_CONF: run scripts/testenv/up"
        }
        return nil
    }

    /// A project manifest: the engine's lines and `extra` under `defaults:`, then `deployments`.
    func manifest(project: String, image: String? = nil, defaults extra: [String] = [], deployments: String) -> String {
        let image = image ?? TestEnvironment.shared.sandboxImage ?? "swerex-sandbox:test"
        let defaults = (["image: \(image)", "pull: never"] + manifestLines + extra).map { "    " + $0 }
        return "project: \(project)\ndefaults:\n" + defaults.joined(separator: "\n") + "\ndeployments:\n" + deployments
    }

    /// Ids of every container, running or not, that carries the project's label, asked of the engine.
    func containers(project: String) async throws -> [String] {
        let arguments = ["ps", "-a", "-q", "--no-trunc", "--filter", "label=dev.swerex-run.project=\(project)"]
        let listed = try await ChildRun.program(program, arguments, adding: Workspace.baseEnvironment)
        return listed.stdout.split(separator: "\n").map(String.init).sorted()
    }

    /// The test's own cleanup: `swerex-run down` for the project, whatever the test left.
    func cleanUp(_ workspace: Workspace, manifest: String) async {
        _ = try? await Binary.run(["down", "-q", manifest], in: workspace, timeout: 120)
        workspace.remove()
    }
}
