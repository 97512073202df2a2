import ContainerEngine
import Runner
import Testing

@Suite("Decision table")
struct PlannerTests {
    let web = SandboxSpec(project: "demo", deployment: Fixtures.deployment("web"), replica: 1)

    func plan(
        _ observed: [ContainerInfo],
        holders: [String: ContainerInfo] = [:],
        tokens: Set<String>? = nil,
        images: [String: String] = [:],
        prune: Bool = false,
        desired: [SandboxSpec]? = nil
    ) -> Plan {
        Planner(
            observed: observed, nameHolders: holders, knownTokens: tokens ?? Set(observed.map(\.id)),
            currentImageIDs: images, prune: prune
        ).plan(project: "demo", desired: desired ?? [web])
    }

    @Test("a missing sandbox is created")
    func missing() {
        let plan = plan([])
        #expect(plan.actions.map(\.kind) == [.create])
        #expect(plan.actions[0].reason == "no container yet")
        #expect(plan.hasChanges)
    }

    @Test("same hash, running and token known is kept")
    func keep() {
        let plan = plan([Fixtures.container(for: web)], images: ["web": "sha256:aaaa"])
        #expect(plan.actions.map(\.kind) == [.keep])
        #expect(!plan.hasChanges)
    }

    @Test("a changed spec is replaced, naming the fields")
    func changedSpec() {
        let old = SandboxSpec(
            project: "demo", deployment: Fixtures.deployment("web") { $0.dockerArgs = ["-e", "A=1"] }, replica: 1)
        let plan = plan([Fixtures.container(for: old, id: "old")])
        #expect(plan.actions.map(\.kind) == [.replace])
        #expect(plan.actions[0].reason == "spec changed: docker_args")
        #expect(plan.actions[0].container?.id == "old")
    }

    @Test("a stopped container is replaced, with its exit code")
    func exited() {
        let plan = plan([Fixtures.container(for: web, status: .exited, exitCode: 137)])
        #expect(plan.actions[0].kind == .replace)
        #expect(plan.actions[0].reason == "container is exited (exit code 137)")
    }

    @Test("a container whose token is lost is replaced")
    func tokenLost() {
        let plan = plan([Fixtures.container(for: web)], tokens: [])
        #expect(plan.actions[0].kind == .replace)
        #expect(plan.actions[0].reason.contains("token is not in this user's state file"))
    }

    @Test("a container of an older hash version is replaced")
    func hashVersion() {
        let plan = plan([Fixtures.container(for: web) { $0[SandboxLabels.hashVersion] = "0" }])
        #expect(plan.actions[0].reason == "its spec hash is of another version (0, now 1)")
    }

    @Test("a tag that now points at another image replaces the container")
    func imageDrift() {
        let plan = plan([Fixtures.container(for: web, imageID: "sha256:old")], images: ["web": "sha256:new"])
        #expect(plan.actions[0].kind == .replace)
        #expect(plan.actions[0].reason == "image swerex-sandbox:test is now new, container runs old")
    }

    @Test("replicas past the count are removed, orphans are only reported without --prune")
    func surplusAndOrphans() {
        let second = SandboxSpec(project: "demo", deployment: Fixtures.deployment("web", replicas: 2), replica: 2)
        let gone = SandboxSpec(project: "demo", deployment: Fixtures.deployment("old"), replica: 1)
        let observed = [web, second, gone].map { Fixtures.container(for: $0) }
        let kept = plan(observed)
        #expect(kept.actions.map(\.kind) == [.keep, .orphan, .remove])
        #expect(kept.actions[1].reason == "deployment old is no longer in the manifest; --prune removes it")
        #expect(kept.actions[2].reason == "replica 2 is past the web deployment's replicas")
        #expect(plan(observed, prune: true).actions.map(\.kind) == [.keep, .remove, .remove])
    }

    @Test("a container holding our name without our labels is a conflict, left alone")
    func foreignName() {
        let plan = plan([], holders: ["demo-web-1": Fixtures.foreign(name: "demo-web-1")])
        #expect(plan.actions.map(\.kind) == [.conflict])
        #expect(plan.conflicts.count == 1)
        #expect(plan.actions[0].reason.contains("is not managed by swerex-run"))
    }

    @Test("a second container for one replica is removed, the one with the right name kept")
    func duplicates() {
        var stray = Fixtures.container(for: web, id: "stray")
        stray.name = "renamed"
        let plan = plan([stray, Fixtures.container(for: web)])
        #expect(plan.actions.map(\.kind) == [.keep, .remove])
        #expect(plan.actions[1].container?.id == "stray")
    }

    @Test("containers of another project are never touched")
    func otherProject() {
        let other = SandboxSpec(project: "else", deployment: Fixtures.deployment("web"), replica: 1)
        let plan = plan([Fixtures.container(for: other, id: "x")], prune: true)
        #expect(plan.actions.map(\.kind) == [.create])
    }
}
