import Foundation
import TestSupport
import Testing

/// B-F1, B-F2: a foreground `up` whose stdout reader went away, or whose terminal closed, still
/// removes what it holds.
@Suite("A foreground up survives a closed stdout and tears down on SIGHUP", .serialized)
struct HangUpAndPipeTests {
    let setup = EngineSetup.sdkDocker

    @Test("with stdout a pipe nobody reads, up keeps holding, and SIGTERM still removes everything (143)")
    func closedStdout() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("pipe")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let process = try Binary.start(["up", manifest], in: workspace, closedStdout: true)
        let holding = await process.waitForStderr(containing: "holding 1 sandbox(es)", timeout: 120)
        #expect(holding, "\(process.stderr)")
        #expect(try await setup.containers(project: workspace.project).count == 1)
        process.signal(SIGTERM)
        let result = await process.wait(timeout: 60)
        #expect(result.status == 143, "\(result.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("SIGHUP tears a foreground up down like SIGTERM, exit 129")
    func hangUp() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("hup")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web:\n    replicas: 2\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let process = try Binary.start(["up", manifest], in: workspace)
        let holding = await process.waitForStderr(containing: "holding 2 sandbox(es)", timeout: 120)
        #expect(holding, "\(process.stderr)")
        process.signal(SIGHUP)
        let result = await process.wait(timeout: 60)
        #expect(result.status == 129, "\(result.stderr)")
        #expect(result.stderr.contains("SIGHUP received"), "\(result.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])
    }
}
