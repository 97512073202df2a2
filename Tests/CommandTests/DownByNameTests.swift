import Foundation
import TestSupport
import Testing

/// A-F14: `down --project NAME` without a manifest reaches every engine the project's sandboxes were
/// started on, as the state file records them, and keeps the records of what it could not remove.
@Suite("down --project on the engines the state file names", .serialized)
struct DownByNameTests {
    /// A project on the TLS daemon, with its own copy of the client certificates.
    struct TLSProject {
        let workspace: Workspace
        let certs: String
        let manifest: String

        init(_ label: String, engine: String) throws {
            let environment = TestEnvironment.shared
            let source = try #require(environment.tlsCertDir)
            let endpoint = try #require(environment.tlsEndpoint)
            workspace = try Workspace(label)
            certs = workspace.folder + "/certs"
            try FileManager.default.copyItem(atPath: source, toPath: certs)
            let secret = engine == "cli" ? "\n    docker_env: {MY_TOKEN: secret-value-f14}" : ""
            manifest = try workspace.write(
                "m.yaml",
                """
                project: \(workspace.project)
                defaults:
                    image: \(environment.sandboxImage ?? "swerex-sandbox:test")
                    pull: never
                    engine: \(engine)
                    docker_endpoint: \(endpoint)
                    docker_tls: true
                    docker_cert_path: \(certs)\(secret)
                deployments:
                  web: {}

                """)
        }

        /// Ids of the project's containers on the TLS daemon, asked of the docker program.
        func containers() async throws -> [String] {
            try await docker(["ps", "-a", "-q", "--filter", "label=dev.swerex-run.project=\(workspace.project)"])
                .split(separator: "\n").map(String.init)
        }

        /// What the docker program prints for `arguments` against the TLS daemon.
        func docker(_ arguments: [String]) async throws -> String {
            let environment = TestEnvironment.shared
            let tls = [
                "DOCKER_HOST": environment.tlsEndpoint ?? "", "DOCKER_TLS_VERIFY": "1",
                "DOCKER_CERT_PATH": environment.tlsCertDir ?? "",
            ]
            return try await ChildRun.program("docker", arguments, adding: tls).stdout
        }

        func cleanUp() async {
            if !FileManager.default.fileExists(atPath: certs), let source = TestEnvironment.shared.tlsCertDir {
                try? FileManager.default.copyItem(atPath: source, toPath: certs)
            }
            _ = try? await Binary.run(["down", "-q", manifest], in: workspace)
            workspace.remove()
        }
    }

    static let available: Bool = {
        let environment = TestEnvironment.shared
        return environment.missing("SWEREX_TEST_TLS_ENDPOINT", "SWEREX_TEST_TLS_CERT_DIR", "SWEREX_TEST_SANDBOX_IMAGE")
            == nil
    }()

    @Test("a sandbox on the TLS daemon is removed by name alone, with no DOCKER_HOST set", arguments: ["sdk", "cli"])
    func removesOnTheRecordedEngine(engine: String) async throws {
        try #require(Self.available, "test environment lacks the TLS daemon: run scripts/testenv/up")
        let project = try TLSProject("f14", engine: engine)
        defer { Task { await project.cleanUp() } }
        let up = try await Binary.run(["up", "-d", "-q", project.manifest], in: project.workspace)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(try await project.containers().count == 1)
        let state = try String(contentsOfFile: project.workspace.stateFile, encoding: .utf8)
        #expect(!state.contains("secret-value-f14"), "a secret-looking docker_env value reached the state file")

        let down = try await Binary.run(["down", "--project", project.workspace.project], in: project.workspace)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stderr.contains("removed \(project.workspace.project)-web-1"), "\(down.stderr)")
        #expect(try await project.containers() == [])
        #expect(!FileManager.default.fileExists(atPath: project.workspace.stateFile))
    }

    @Test("an engine that cannot be reached keeps its sandboxes' tokens and makes down fail, until it answers")
    func keepsWhatItCouldNotRemove() async throws {
        try #require(Self.available, "test environment lacks the TLS daemon: run scripts/testenv/up")
        let project = try TLSProject("f14keep", engine: "sdk")
        defer { Task { await project.cleanUp() } }
        let up = try await Binary.run(["up", "-d", "-q", project.manifest], in: project.workspace)
        #expect(up.status == 0, "\(up.stderr)")
        try FileManager.default.moveItem(atPath: project.certs, toPath: project.certs + ".away")

        let failed = try await Binary.run(["down", "--project", project.workspace.project], in: project.workspace)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("kept the token of \(project.workspace.project)-web-1"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("nothing to remove"))
        #expect(FileManager.default.fileExists(atPath: project.workspace.stateFile))
        #expect(try await project.containers().count == 1)

        try FileManager.default.moveItem(atPath: project.certs + ".away", toPath: project.certs)
        let down = try await Binary.run(["down", "--project", project.workspace.project], in: project.workspace)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try await project.containers() == [])
        #expect(!FileManager.default.fileExists(atPath: project.workspace.stateFile))
    }
}
