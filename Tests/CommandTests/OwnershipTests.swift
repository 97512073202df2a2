import Foundation
import TestSupport
import Testing

/// B-F3: which run removes what, when a foreground `up` and another `up` of one project overlap.
@Suite("Ownership between a holding up and a later up of the same project", .serialized)
struct OwnershipTests {
    let setup = EngineSetup.sdkDocker

    @Test("a later up -d takes over what it keeps: the holding run's Ctrl-C leaves those and exits 130")
    func laterDetachedUpKeepsItsSandboxes() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("own")
        let three = try workspace.write(
            "three.yaml", setup.manifest(project: workspace.project, deployments: "  a:\n    replicas: 3\n"))
        let four = try workspace.write(
            "four.yaml", setup.manifest(project: workspace.project, deployments: "  a:\n    replicas: 4\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: four) } }
        #expect(try await Binary.run(["up", "-d", "-q", three], in: workspace).status == 0)
        let holder = try Binary.start(["up", three], in: workspace)
        #expect(await holder.waitForStderr(containing: "holding 3 sandbox(es)", timeout: 120), "\(holder.stderr)")

        let later = try await Binary.run(["up", "-d", four], in: workspace)
        #expect(later.status == 0, "\(later.stderr)")
        #expect(try await setup.containers(project: workspace.project).count == 4)
        holder.signal(SIGINT)
        let result = await holder.wait(timeout: 60)
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("left \(workspace.project)-a-1"), "\(result.stderr)")
        #expect(result.stderr.contains("took it over"))
        #expect(!result.stderr.contains("removed \(workspace.project)-a-"), "\(result.stderr)")
        #expect(try await setup.containers(project: workspace.project).count == 4)
        let status = try await Binary.run(["status", four], in: workspace)
        #expect(status.stdout.components(separatedBy: " alive ").count == 5, "\(status.stdout)")
    }

    @Test("status lists the wanted replicas in manifest order, missing ones in their place")
    func statusOrder() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("order")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  a:\n    replicas: 3\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let up = try await Binary.run(["up", "-d", "--output", "json", manifest], in: workspace)
        #expect(up.status == 0, "\(up.stderr)")
        let first = try #require(try EndToEndTests.UpResult(up.stdout).ids["\(workspace.project)-a-1"])
        _ = try await ChildRun.program("docker", ["rm", "-f", first])
        let status = try await Binary.run(["status", manifest], in: workspace)
        let rows = status.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").prefix(2) }
        #expect(rows.map { $0.joined(separator: " ") } == ["a 1", "a 2", "a 3"], "\(status.stdout)")
        #expect(status.stdout.contains("missing"))
    }

    @Test("a foreground up holds what an earlier up -d started, as compose does, and removes it at its end")
    func foregroundTakesOverADetachedFleet() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("own")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  a:\n    replicas: 2\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        #expect(try await Binary.run(["up", "-d", "-q", manifest], in: workspace).status == 0)
        let holder = try Binary.start(["up", manifest], in: workspace)
        #expect(await holder.waitForStderr(containing: "holding 2 sandbox(es)", timeout: 120), "\(holder.stderr)")
        holder.signal(SIGTERM)
        let result = await holder.wait(timeout: 60)
        #expect(result.status == 143, "\(result.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])
    }
}
