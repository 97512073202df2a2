import ContainerEngine
import Foundation
import Manifest
import TestSupport
import Testing

/// Contexts made by the real docker CLI (which writes its store without contacting a daemon) are
/// found where the docker CLI would find them.
@Suite("Docker contexts written by the docker CLI")
struct DockerContextTests {
    static let docker = ["/usr/local/bin/docker", "/usr/bin/docker"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    let files = ManifestFiles()

    /// Runs the docker CLI with only `environment` (and PATH); returns its standard output.
    @discardableResult
    static func dockerCLI(_ arguments: [String], environment: [String: String]) async throws -> String {
        let run = try await ChildRun.run(
            try #require(docker), arguments,
            environment: environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own })
        try #require(run.status == 0, "docker \(arguments.joined(separator: " ")): \(run.stderr)")
        return run.stdout
    }

    private func dockerCLI(_ arguments: [String], config: String) async throws {
        try await Self.dockerCLI(arguments, environment: ["DOCKER_CONFIG": config])
    }

    @Test(
        "The current context set by `docker context use` gives the endpoint",
        .enabled(if: docker != nil, "no docker CLI"))
    func currentContextFromCLI() async throws {
        let config = files.folder + "/docker-config"
        try await dockerCLI(
            ["context", "create", "swerex-plain", "--docker", "host=tcp://127.0.0.1:23750"], config: config)
        try await dockerCLI(["context", "use", "swerex-plain"], config: config)
        let loaded = try files.load("image: swerex-sandbox:test\n", environment: ["DOCKER_CONFIG": config])
        let deployment = try #require(loaded.project.deployments.first)
        #expect(deployment.endpoint == .tcp(host: "127.0.0.1", port: 23750, tls: nil))
        #expect(deployment.endpointSource == "context swerex-plain")
    }

    @Test(
        "A context's TLS files stored by the docker CLI turn TLS on with them",
        .enabled(
            if: docker != nil && TestEnvironment.shared.tlsCertDir != nil,
            "needs the docker CLI and the test TLS certificates")
    )
    func tlsContextFromCLI() async throws {
        let config = files.folder + "/docker-config"
        let certificates = try #require(TestEnvironment.shared.tlsCertDir)
        let host =
            "host=tcp://127.0.0.1:23760,ca=\(certificates)/ca.pem,cert=\(certificates)/cert.pem,key=\(certificates)/key.pem"
        try await dockerCLI(["context", "create", "swerex-tls", "--docker", host], config: config)
        let loaded = try files.load(
            "image: swerex-sandbox:test\n",
            environment: ["DOCKER_CONFIG": config, "DOCKER_CONTEXT": "swerex-tls"]
        )
        let deployment = try #require(loaded.project.deployments.first)
        guard case .tcp("127.0.0.1", 23760, let tls?) = deployment.endpoint else {
            Issue.record("expected a TLS endpoint, got \(deployment.endpoint)")
            return
        }
        #expect(tls.verify)
        #expect(tls.caFile?.hasSuffix("/docker/ca.pem") == true)
        #expect(tls.certFile.map { FileManager.default.fileExists(atPath: $0) } == true)
        #expect(
            deployment.cliEnvironment["DOCKER_CERT_PATH"]
                == tls.caFile.map { ($0 as NSString).deletingLastPathComponent })
    }
}
