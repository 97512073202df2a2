import ContainerEngine
import DockerAPI
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite(
    "sdk engine images on the local dockerd",
    .serialized,
    .enabled(if: SDKTest.localSocket != nil, "test environment lacks SWEREX_TEST_DOCKER_SOCKET: run scripts/testenv/up")
)
struct SDKImageTests {
    let run = SDKTestRun(SDKTest.localSocket ?? .unix(path: "/nonexistent"))

    @Test("inspect gives an image's id and tags, and nil for an image the daemon lacks")
    func inspectsImages() async throws {
        let image = try #require(try await run.engine.inspectImage(SDKTest.busyboxImage))
        #expect(image.id.hasPrefix("sha256:") && image.id.count == 71)
        #expect(image.tags.contains(SDKTest.busyboxImage))
        #expect(image.os == "linux")
        #expect(try await run.engine.inspectImage("swerex-sdk-never-present:test") == nil)
    }

    @Test("pulling an image no registry serves fails at once with the daemon's reason")
    func pullFailsQuickly() async throws {
        // A registry on a loopback port nobody listens on: the daemon's attempt stays on this machine.
        let reference = "127.0.0.1:\(try SDKTest.closedPort())/swerex-sdk-never-present:test"
        let started = ContinuousClock.now
        let error = await #expect(throws: EngineError.self) {
            try await run.engine.pullImage(reference, platform: nil) { _ in }
        }
        // The refusal in the message is what matters; the clock only guards against a pull that hangs.
        #expect(ContinuousClock.now - started < .seconds(120))
        #expect(error?.code == .engineError)
        #expect(error?.message.contains("pulling image '\(reference)' failed") == true)
        #expect(error?.message.contains("connection refused") == true)
        #expect(error?.hint?.contains("registry") == true)
    }

    @Test("a build streams progress events, honours build args and labels, and returns the image id")
    func buildsImage() async throws {
        try await run.withCleanup {
            let events = Mutex<[ProgressEvent]>([])
            let tag = "swerex-sdk-test-build:\(run.runID.prefix(8))"
            let request = BuildRequest(
                dockerfile: """
                    FROM \(SDKTest.busyboxImage)
                    ARG GREETING=unset
                    RUN echo "$GREETING" > /greeting
                    CMD ["cat", "/greeting"]
                    """,
                buildArgs: ["GREETING": "built by the sdk engine"], tag: tag, labels: run.labels)
            let id = try await run.engine.buildImage(request) { event in events.withLock { $0.append(event) } }
            let seen = events.withLock { $0 }
            #expect(id.hasPrefix("sha256:") && id.count == 71)
            #expect(seen.count >= 4, "progress events: \(seen.map(\.message))")
            #expect(seen.allSatisfy { $0.kind == .build && !$0.message.hasSuffix("\n") })
            #expect(
                seen.contains {
                    $0.message.hasPrefix("Step 1/") && $0.message.hasSuffix(": FROM \(SDKTest.busyboxImage)")
                })

            let image = try #require(try await run.engine.inspectImage(tag))
            #expect(image.id == id)
            let container = try await run.engine.runContainer(
                run.spec("built", image: id, command: ["cat", "/greeting"]))
            _ = try await SDKTest.waitUntilExited(run.engine, container)
            #expect(try await run.engine.logs(container, tail: nil).stdout == "built by the sdk engine\n")
            try await run.engine.removeContainer(container)

            try await run.engine.removeImage(tag, force: false)
            #expect(try await run.engine.inspectImage(tag) == nil)
            try await run.engine.removeImage(tag, force: false)
        }
    }

    @Test("an untagged build is known by the id it returns")
    func buildsUntaggedImage() async throws {
        try await run.withCleanup {
            let request = BuildRequest(
                dockerfile: "FROM \(SDKTest.busyboxImage)\nLABEL purpose=untagged\n", labels: run.labels)
            let id = try await run.engine.buildImage(request) { _ in }
            #expect(try await run.engine.inspectImage(id)?.id == id)
            try await run.engine.removeImage(id, force: true)
            #expect(try await run.engine.inspectImage(id) == nil)
        }
    }

    @Test("a failing build step is an error carrying the builder's message")
    func reportsBuildError() async throws {
        let events = Mutex(0)
        let request = BuildRequest(
            dockerfile: "FROM \(SDKTest.busyboxImage)\nRUN echo about to fail && exit 7\n", labels: run.labels)
        let error = await #expect(throws: EngineError.self) {
            _ = try await run.engine.buildImage(request) { _ in events.withLock { $0 += 1 } }
        }
        #expect(error?.code == .engineError)
        #expect(error?.message.contains("returned a non-zero code: 7") == true)
        #expect(events.withLock { $0 } >= 2)
    }

    @Test("a Dockerfile whose base image is missing fails with the daemon's reason")
    func reportsMissingBaseImage() async throws {
        let base = "127.0.0.1:\(try SDKTest.closedPort())/swerex-sdk-never-present:test"
        let request = BuildRequest(dockerfile: "FROM \(base)\n", labels: run.labels)
        let error = await #expect(throws: EngineError.self) { _ = try await run.engine.buildImage(request) { _ in } }
        #expect(error?.code == .engineError)
        #expect(error?.message.contains("connection refused") == true)
    }

    @Test("removing an image that is gone is success, and one in use needs force")
    func removesImages() async throws {
        try await run.withCleanup {
            try await run.engine.removeImage("swerex-sdk-never-present:test", force: false)
            let tag = "swerex-sdk-test-inuse:\(run.runID.prefix(8))"
            let id = try await run.engine.buildImage(
                BuildRequest(
                    dockerfile: "FROM \(SDKTest.busyboxImage)\nLABEL in-use=yes\n", tag: tag, labels: run.labels)
            ) { _ in }
            let container = try await run.engine.runContainer(run.spec("in-use", image: id, command: ["sleep", "60"]))
            let error = await #expect(throws: EngineError.self) { try await run.engine.removeImage(id, force: false) }
            #expect(error?.code == .engineError)
            #expect(error?.status == 409)
            try await run.engine.removeContainer(container)
            try await run.engine.removeImage(tag, force: false)
            #expect(try await run.engine.inspectImage(id) == nil)
        }
    }
}
