import ContainerEngine
import Runner
import Testing

@Suite("Plan rendering")
struct PlanRendererTests {
    @Test("one line per action with its symbol and reason, then the summary")
    func golden() {
        let web1 = SandboxSpec(project: "demo", deployment: Fixtures.deployment("web", replicas: 2), replica: 1)
        let web2 = SandboxSpec(project: "demo", deployment: Fixtures.deployment("web", replicas: 2), replica: 2)
        let changed = SandboxSpec(
            project: "demo", deployment: Fixtures.deployment("web") { $0.image = "python:3.12" }, replica: 2)
        let worker = SandboxSpec(project: "demo", deployment: Fixtures.deployment("worker"), replica: 1)
        let old = SandboxSpec(project: "demo", deployment: Fixtures.deployment("old"), replica: 1)
        let observed = [
            Fixtures.container(for: web1), Fixtures.container(for: changed, id: "c2"),
            Fixtures.container(for: old, id: "o1"),
        ]
        let plan = Planner(observed: observed, knownTokens: ["id-demo-web-1", "c2", "o1"])
            .plan(project: "demo", desired: [web1, web2, worker])
        let expected = """
            Project demo:
              = demo-web-1     keep     up to date and running
            -/+ demo-web-2     replace  spec changed: image
              + demo-worker-1  create   no container yet
              ? demo-old-1     orphan   deployment old is no longer in the manifest; --prune removes it

            Plan: 1 to create, 1 to replace, 0 to remove, 1 unchanged. 1 orphan kept (--prune removes).

            """
        #expect(PlanRenderer().render(plan) == expected)
    }

    @Test("a plan without changes says so")
    func noChanges() {
        let plan = Plan(project: "demo", actions: [])
        #expect(
            PlanRenderer().summary(plan) == "No changes. Plan: 0 to create, 0 to replace, 0 to remove, 0 unchanged.")
    }

    @Test("conflicts are counted and block the plan")
    func conflicts() {
        let action = PlannedAction(.conflict, name: "demo-web-1", deployment: "web", replica: 1, reason: "taken")
        let plan = Plan(project: "demo", actions: [action])
        #expect(
            PlanRenderer().summary(plan)
                == "Plan: 0 to create, 0 to replace, 0 to remove, 0 unchanged. 1 conflict: nothing changes until resolved."
        )
    }

    @Test("colour wraps only the symbols")
    func colour() {
        let action = PlannedAction(.create, name: "a", deployment: "a", replica: 1, reason: "no container yet")
        let text = PlanRenderer(colour: true).render(Plan(project: "p", actions: [action]))
        #expect(text.contains("\u{1B}[32m  +\u{1B}[0m a  create   no container yet"))
    }
}
