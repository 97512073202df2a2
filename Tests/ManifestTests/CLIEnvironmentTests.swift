import Foundation
import Manifest
import TestSupport
import Testing

/// The cli engine's environment makes the real docker CLI reach the daemon the sdk engine would.
@Suite("The cli environment with the real docker CLI")
struct CLIEnvironmentTests {
    let files = ManifestFiles()
    static let environment = TestEnvironment.shared

    @Test(
        "tls.yaml's cli environment reaches the TLS test daemon through the docker CLI",
        .enabled(
            if: DockerContextTests.docker != nil && environment.tlsEndpoint != nil && environment.tlsCertDir != nil,
            "needs the docker CLI and the TLS test daemon: run scripts/testenv/up"
        )
    )
    func tlsExampleReachesDaemon() async throws {
        let example = TestEnvironment.packageRoot.appendingPathComponent("examples/tls.yaml").path
        let endpoint = try #require(Self.environment.tlsEndpoint)
        files.write("tls.yaml", try String(contentsOfFile: example, encoding: .utf8))
        files.write("endpoint.yaml", "docker_endpoint: \(endpoint)\nengine: cli\n")
        let loaded = try files.load(
            ["tls.yaml", "endpoint.yaml"],
            environment: ["DOCKER_CERT_DIR": try #require(Self.environment.tlsCertDir), "HOME": "/nonexistent-home"]
        )
        let deployment = try #require(loaded.project.deployments.first)
        let version = try await DockerContextTests.dockerCLI(
            ["version", "--format", "{{.Server.Version}}"],
            environment: deployment.cliEnvironment
        )
        #expect(!version.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
