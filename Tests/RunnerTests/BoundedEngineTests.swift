import ContainerEngine
import Foundation
import Synchronization
import Testing

@testable import Runner

/// A fake engine whose calls never answer and ignore cancellation, as a request stuck in libcurl
/// does, until it is released; it counts the calls that reached it.
final class StuckEngine: ContainerEngine {
    let identity = EngineIdentity(kind: .sdk, runtime: "docker", endpoint: "unix:///stuck.sock")
    private let released = Mutex(false)

    func release() { released.withLock { $0 = true } }

    /// Waits until released, ignoring cancellation (a cancelled sleep returns at once, so it sleeps
    /// through a new task each time).
    private func hang() async {
        while !released.withLock({ $0 }) {
            await Task.detached { try? await Task.sleep(for: .milliseconds(10)) }.value
        }
    }

    func version() async throws(EngineError) -> EngineVersion {
        await hang()
        return EngineVersion(version: "0", apiVersion: "0", os: "linux", architecture: "amd64")
    }
    func inspectImage(_ reference: String) async throws(EngineError) -> ImageInfo? { await hang(); return nil }
    func pullImage(_ reference: String, platform: String?, progress: @escaping @Sendable (ProgressEvent) -> Void)
        async throws(EngineError)
    { await hang() }
    func buildImage(_ request: BuildRequest, progress: @escaping @Sendable (ProgressEvent) -> Void)
        async throws(EngineError) -> String
    { await hang(); return "" }
    func runContainer(_ spec: ContainerSpec) async throws(EngineError) -> String { await hang(); return "" }
    func inspectContainer(_ idOrName: String) async throws(EngineError) -> ContainerInfo? { await hang(); return nil }
    func listContainers(labels: [String: String?]) async throws(EngineError) -> [ContainerInfo] {
        await hang()
        return []
    }
    func logs(_ idOrName: String, tail: Int?) async throws(EngineError) -> ContainerLogs {
        await hang()
        return ContainerLogs(stdout: "", stderr: "")
    }
    func stopContainer(_ idOrName: String, grace: Int) async throws(EngineError) { await hang() }
    func killContainer(_ idOrName: String, signal: String?) async throws(EngineError) { await hang() }
    func removeContainer(_ idOrName: String) async throws(EngineError) { await hang() }
    func removeImage(_ reference: String, force: Bool) async throws(EngineError) { await hang() }
}

@Suite("Bounded engine calls (fake: an engine that never answers)")
struct BoundedEngineTests {
    static var bounds: EngineBounds {
        var bounds = EngineBounds()
        bounds.query = .milliseconds(300)
        bounds.run = .milliseconds(600)
        bounds.stalled = .milliseconds(100)
        bounds.changeAfterInterrupt = .milliseconds(200)
        return bounds
    }

    func seconds(_ body: () async -> Void) async -> Double {
        let start = ContinuousClock.now
        await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test("fake stuck engine: a query times out at its bound naming the engine, then calls get the stalled bound")
    func timesOutThenStalls() async throws {
        let stuck = StuckEngine()
        defer { stuck.release() }
        let engine = BoundedEngine(stuck, bounds: Self.bounds)
        let first = await seconds {
            do throws(EngineError) {
                _ = try await engine.listContainers(labels: [:])
                Issue.record("a stuck call returned")
            } catch {
                #expect(error.code == .timeout)
                #expect(error.message.contains("no answer from sdk docker at unix:///stuck.sock"))
            }
        }
        // Upper bounds are hang guards only: under a full suite on two cores, the test process's other
        // tests can keep a task from waking for seconds, and only "far below forever" matters here.
        #expect(first >= 0.3 && first < 60)
        #expect(engine.isStalled)
        let second = await seconds {
            _ = try? await engine.runContainer(ContainerSpec(name: "x", image: "i", command: []))
        }
        #expect(second < first + 60)
    }

    @Test("fake stuck engine: cancelling the waiting task ends a query at once and a create after its grace")
    func cancellationCutsWaitsShort() async throws {
        let stuck = StuckEngine()
        defer { stuck.release() }
        var bounds = Self.bounds
        bounds.query = .seconds(300)
        bounds.run = .seconds(300)
        // Interrupted calls older than this mark the engine stalled: far above what a loaded machine
        // takes to get from the start of the calls to their cancellation.
        bounds.stalled = .seconds(120)
        let engine = BoundedEngine(stuck, bounds: bounds)
        let query = Task { try await engine.inspectContainer("x") }
        let create = Task { try await engine.runContainer(ContainerSpec(name: "x", image: "i", command: [])) }
        try await Task.sleep(for: .milliseconds(50))
        let queryTime = await seconds {
            query.cancel()
            _ = try? await query.value
        }
        let createTime = await seconds {
            create.cancel()
            _ = try? await create.value
        }
        // The bounds are 300 s: a cancelled query ends long before, a create only after its 0.2 s grace
        // (the upper bounds are hang guards).
        #expect(queryTime < 60)
        #expect(createTime >= 0.15 && createTime < 60)
        #expect(!engine.isStalled)
    }
}
