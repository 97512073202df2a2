import Foundation
import TestSupport
import Testing

/// B-F11, B-F12: what a failed sandbox leaves, and what the table says about it.
@Suite("Failed sandboxes", .serialized)
struct FailedSandboxTests {
    let setup = EngineSetup.sdkDocker

    /// The state of a container, asked of the docker program.
    func state(_ name: String) async throws -> String {
        let inspected = try await ChildRun.program("docker", ["inspect", "-f", "{{.State.Status}}", name])
        return inspected.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("with remove_container false, a sandbox that never answers is kept but stopped, as teardown does")
    func keptFailureIsStopped() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("stopkept")
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project, image: TestEnvironment.shared.busyboxImage,
                defaults: [
                    "startup_timeout: 2", "remove_container: false",
                    "exec_shell: [\"/bin/sh\", \"-c\", \"sleep 600\", \"sh\"]",
                ],
                deployments: "  silent: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let up = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(up.status == 1)
        #expect(up.stderr.contains("is kept, stopped, because remove_container is false"), "\(up.stderr)")
        #expect(try await state("\(workspace.project)-silent-1") == "exited")
    }

    @Test("a failed sandbox whose container was removed shows no container and no URL in the table")
    func removedFailureHasNoURL() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("nourl")
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project, image: TestEnvironment.shared.busyboxImage, deployments: "  crash: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let up = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(up.status == 1)
        let row = try #require(up.stdout.split(separator: "\n").first { $0.hasPrefix("crash") }, "\(up.stdout)")
        #expect(!row.contains("http://"), "\(row)")
        #expect(row.contains("failed"))
    }
}
