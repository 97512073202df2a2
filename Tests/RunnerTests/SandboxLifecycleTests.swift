import Runner
import Testing

@Suite("Sandbox lifecycle")
struct SandboxLifecycleTests {
    @Test("a new sandbox runs, waits, and is alive")
    func happyPath() throws {
        var life = SandboxLifecycle(removeOnFailure: true)
        #expect(life.start() == .run)
        #expect(try life.handle(.started(container: "c1")) == .waitUntilAlive(container: "c1"))
        #expect(try life.handle(.answered) == .succeed(container: "c1"))
        #expect(life.state == .alive(container: "c1"))
    }

    @Test("a kept container only waits")
    func adopted() {
        var life = SandboxLifecycle(adopting: "c1", removeOnFailure: true)
        #expect(life.start() == .waitUntilAlive(container: "c1"))
    }

    @Test(
        "a failed sandbox is removed, then reported",
        arguments: [
            SandboxLifecycle.Event.exited(detail: "exited 1"),
            .timedOut(detail: "exited 1"),
            .rejected(detail: "exited 1"),
        ])
    func failureRemoves(event: SandboxLifecycle.Event) throws {
        var life = SandboxLifecycle(removeOnFailure: true)
        _ = life.start()
        _ = try life.handle(.started(container: "c1"))
        #expect(try life.handle(event) == .remove(container: "c1"))
        #expect(try life.handle(.removed) == .fail("exited 1"))
        #expect(life.state == .failed(failure: "exited 1", left: nil))
    }

    @Test("with remove_container false the failed container stays, and the failure says so")
    func keepOnFailure() throws {
        var life = SandboxLifecycle(removeOnFailure: false)
        _ = life.start()
        _ = try life.handle(.started(container: "c1"))
        let action = try life.handle(.exited(detail: "exited 1"))
        #expect(action == .fail("exited 1\nContainer c1 is kept, stopped, because remove_container is false."))
        #expect(
            life.state
                == .failed(
                    failure: "exited 1\nContainer c1 is kept, stopped, because remove_container is false.", left: "c1"))
    }

    @Test("a start the engine refused fails without a removal")
    func startFailed() throws {
        var life = SandboxLifecycle(removeOnFailure: true)
        _ = life.start()
        #expect(try life.handle(.startFailed("port 8080 taken")) == .fail("port 8080 taken"))
    }

    @Test("an impossible event names the state it came in")
    func impossible() {
        var life = SandboxLifecycle(removeOnFailure: true)
        #expect(throws: LifecycleError.self) { try life.handle(.answered) }
        do {
            _ = try life.handle(.removed)
        } catch {
            #expect(error.description == "sandbox lifecycle: removed cannot happen while pending")
        }
    }
}
