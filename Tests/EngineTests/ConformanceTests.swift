import ContainerEngine
import Foundation
import Synchronization
import TestSupport
import Testing

/// The engine conformance suite: every engine, sdk or cli, must behave the same on a real daemon.
///
/// Each case runs against every fixture in `EngineFixture.all` and checks what is then true on the
/// engine, not what the engine said. A fixture whose environment is missing or whose engine is not
/// built yet prints `SKIP conformance[NAME] CASE: why` and returns. Everything a case creates carries
/// this run's labels; the suite ends by checking that nothing carrying them remains.
@Suite(ConformanceLeftoverCheck())
struct ConformanceTests {
    static let fixtures = EngineFixture.all

    @Test(arguments: fixtures)
    func theEngineAnswersWithItsVersion(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "version") else { return }
        let version = try await context.engine.version()
        #expect(!version.version.isEmpty)
        #expect(!version.apiVersion.isEmpty)
        #expect(version.os == "linux")
        #expect(!version.architecture.isEmpty)
        #expect(fixture.name.hasPrefix(context.engine.identity.kind.rawValue))
    }

    @Test(arguments: fixtures)
    func imageInspectionFindsPresentImagesAndNotMissingOnes(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "inspect-image") else { return }
        let image = try #require(try await context.engine.inspectImage(context.busyboxImage))
        #expect(image.id.hasPrefix("sha256:") && image.id.count == 71)
        #expect(image.os == "linux")
        #expect(try await context.engine.inspectImage(image.id)?.id == image.id)
        #expect(try await context.engine.inspectImage("swerex-absent-\(ConformanceRun.id):none") == nil)
    }

    @Test(arguments: fixtures)
    func aSandboxOnAnEngineChosenPortAnswersIsAliveWithItsToken(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "chosen-port") else { return }
        try await context.withCleanup {
            let token = UUID().uuidString
            let spec = context.spec(
                "sandbox",
                image: context.sandboxImage,
                command: ["/bin/sh", "-c", "swerex-remote --auth-token \(token)"],
                publish: PortPublication(hostIP: "127.0.0.1")
            )
            let id = try await context.engine.runContainer(spec)
            let info = try #require(try await context.engine.inspectContainer(id))
            #expect(info.id == id)
            #expect(info.name == spec.name)
            #expect(info.status == .running)
            let address = try #require(info.ports[8000], "no host port for 8000 in \(info.ports)")
            #expect(address.ip == "127.0.0.1")
            #expect(address.port > 0)
            let answer = try #require(await probeAlive(host: "127.0.0.1", port: address.port, token: token))
            #expect(answer.status == 200)
            #expect(answer.body.contains("\"is_alive\":true") || answer.body.contains("\"is_alive\": true"))
            let refused = await probeAlive(host: "127.0.0.1", port: address.port, token: "wrong", within: 60)
            #expect(refused?.status == 401)
        }
    }

    @Test(arguments: fixtures)
    func aFixedHostPortIsPublishedAsAsked(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "fixed-port") else { return }
        try await context.withCleanup {
            let port = try LoopbackListener.freePort()
            let token = UUID().uuidString
            let spec = context.spec(
                "sandbox",
                image: context.sandboxImage,
                command: ["/bin/sh", "-c", "swerex-remote --auth-token \(token)"],
                publish: PortPublication(hostPort: port, hostIP: "127.0.0.1")
            )
            let id = try await context.engine.runContainer(spec)
            let info = try await context.engine.inspectContainer(id)
            #expect(info?.ports[8000] == HostAddress(ip: "127.0.0.1", port: port))
            let answer = await probeAlive(host: "127.0.0.1", port: port, token: token)
            #expect(answer?.status == 200)
        }
    }

    @Test(arguments: fixtures)
    func labelsRoundTripAndSelectContainers(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "labels") else { return }
        try await context.withCleanup {
            let note = "value with spaces = and equals"
            let first = context.spec(
                "a",
                image: context.busyboxImage,
                command: ["sleep", "300"],
                labels: ["swerex-run.test.role": "a", "swerex-run.test.note": note]
            )
            let second = context.spec(
                "b",
                image: context.busyboxImage,
                command: ["sleep", "300"],
                labels: ["swerex-run.test.role": "b"]
            )
            let firstID = try await context.engine.runContainer(first)
            let secondID = try await context.engine.runContainer(second)
            let info = try #require(try await context.engine.inspectContainer(first.name))
            for (key, value) in first.labels {
                #expect(info.labels[key] == value, "label \(key)")
            }
            let engine = context.engine
            // The run's own label keeps out the same case of a suite that runs beside this one.
            let byRole = try await engine.listContainers(labels: [
                ConformanceRun.runLabel: ConformanceRun.id, ConformanceRun.caseLabel: context.caseID,
                "swerex-run.test.role": "a",
            ])
            #expect(byRole.map(\.id) == [firstID])
            let anyRole = try await engine.listContainers(labels: [
                ConformanceRun.runLabel: ConformanceRun.id, ConformanceRun.caseLabel: context.caseID,
                "swerex-run.test.role": nil,
            ])
            #expect(Set(anyRole.map(\.id)) == [firstID, secondID])
            let none = try await engine.listContainers(labels: [
                ConformanceRun.runLabel: ConformanceRun.id, ConformanceRun.caseLabel: context.caseID,
                "swerex-run.test.role": "c",
            ])
            #expect(none.isEmpty)
        }
    }

    @Test(arguments: fixtures)
    func logsKeepStdoutAndStderrApart(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "logs") else { return }
        try await context.withCleanup {
            let streams = context.spec(
                "streams",
                image: context.busyboxImage,
                command: ["sh", "-c", "echo out; echo err >&2; echo out2"]
            )
            _ = try await context.engine.runContainer(streams)
            #expect(try await context.waitFor(.exited, streams.name)?.status == .exited)
            let logs = try await context.engine.logs(streams.name, tail: nil)
            #expect(logs.stdout == "out\nout2\n")
            #expect(logs.stderr == "err\n")

            let counted = context.spec(
                "tail", image: context.busyboxImage, command: ["sh", "-c", "echo 1; echo 2; echo 3"])
            _ = try await context.engine.runContainer(counted)
            #expect(try await context.waitFor(.exited, counted.name)?.status == .exited)
            let tail = try await context.engine.logs(counted.name, tail: 2)
            #expect(tail.stdout == "2\n3\n")
            #expect(tail.stderr == "")
        }
    }

    @Test(arguments: fixtures)
    func theEnvironmentAndDockerArgumentsReachTheContainer(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "arguments") else { return }
        try await context.withCleanup {
            var spec = context.spec(
                "env",
                image: context.busyboxImage,
                command: ["sh", "-c", #"echo "$FROM_SPEC|$FROM_ARGS|$(pwd)""#]
            )
            spec.environment = ["FROM_SPEC": "spec value"]
            spec.runArguments = ["-e", "FROM_ARGS=args", "--workdir", "/tmp"]
            _ = try await context.engine.runContainer(spec)
            #expect(try await context.waitFor(.exited, spec.name)?.exitCode == 0)
            #expect(try await context.engine.logs(spec.name, tail: nil).stdout == "spec value|args|/tmp\n")
        }
    }

    @Test(arguments: fixtures)
    func anExitedContainerReportsItsExitCode(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "exit-code") else { return }
        try await context.withCleanup {
            let spec = context.spec("exit", image: context.busyboxImage, command: ["sh", "-c", "exit 7"])
            _ = try await context.engine.runContainer(spec)
            let info = try #require(try await context.waitFor(.exited, spec.name))
            #expect(info.status == .exited)
            #expect(info.exitCode == 7)
            #expect(info.error == nil)
        }
    }

    @Test(arguments: fixtures)
    func anAutoRemovedContainerIsGoneAfterItExits(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "auto-remove") else { return }
        try await context.withCleanup {
            var spec = context.spec("rm", image: context.busyboxImage, command: ["sh", "-c", "sleep 1"])
            spec.autoRemove = true
            _ = try await context.engine.runContainer(spec)
            let deadline = Date().addingTimeInterval(120)
            var info = try await context.engine.inspectContainer(spec.name)
            while info != nil, Date() < deadline {
                try await Task.sleep(for: .milliseconds(250))
                info = try await context.engine.inspectContainer(spec.name)
            }
            #expect(info == nil, "still there: \(String(describing: info?.status))")
        }
    }

    @Test(arguments: fixtures)
    func stopSendsTermThenKillsAfterTheGracePeriod(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "stop") else { return }
        try await context.withCleanup {
            let clock = ContinuousClock()
            let polite = context.spec(
                "polite",
                image: context.busyboxImage,
                command: ["sh", "-c", "trap 'exit 3' TERM; echo ready; while true; do sleep 1; done"]
            )
            _ = try await context.engine.runContainer(polite)
            try await context.waitForOutput("ready", polite.name)
            // Exit code 3 says TERM ended it; the clock only checks that stop did not also sit out the
            // two minutes of grace (it is a hang guard, not a speed target).
            var start = clock.now
            try await context.engine.stopContainer(polite.name, grace: 120)
            #expect(clock.now - start < .seconds(60), "a container that exits on TERM waited for the grace period")
            let politeInfo = try await context.engine.inspectContainer(polite.name)
            #expect(politeInfo?.status == .exited)
            #expect(politeInfo?.exitCode == 3)

            // PID 1 without a handler ignores SIGTERM, so only the SIGKILL after the grace period stops it.
            // "Running" comes before runc's init has started the command, and init (a Go program) ends
            // on SIGTERM with status 2: the stop must wait until the command says it runs.
            let stubborn = context.spec(
                "stubborn", image: context.busyboxImage, command: ["sh", "-c", "echo ready; exec sleep 300"])
            _ = try await context.engine.runContainer(stubborn)
            try await context.waitForOutput("ready", stubborn.name)
            start = clock.now
            try await context.engine.stopContainer(stubborn.name, grace: 1)
            let elapsed = clock.now - start
            // At least the grace period; the upper bound only guards against a hang.
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(60), "stop took \(elapsed)")
            let stubbornInfo = try await context.engine.inspectContainer(stubborn.name)
            #expect(stubbornInfo?.status == .exited)
            #expect(stubbornInfo?.exitCode == 137)
        }
    }

    @Test(arguments: fixtures)
    func killSendsSigkillByDefaultAndTheGivenSignalOtherwise(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "kill") else { return }
        try await context.withCleanup {
            let sleeper = context.spec("sleeper", image: context.busyboxImage, command: ["sleep", "300"])
            _ = try await context.engine.runContainer(sleeper)
            try await context.engine.killContainer(sleeper.name, signal: nil)
            let killed = try await context.waitFor(.exited, sleeper.name)
            #expect(killed?.exitCode == 137)

            let trapper = context.spec(
                "trapper",
                image: context.busyboxImage,
                command: ["sh", "-c", "trap 'exit 3' TERM; echo ready; while true; do sleep 1; done"]
            )
            _ = try await context.engine.runContainer(trapper)
            try await context.waitForOutput("ready", trapper.name)
            try await context.engine.killContainer(trapper.name, signal: "TERM")
            let terminated = try await context.waitFor(.exited, trapper.name)
            #expect(terminated?.exitCode == 3)
        }
    }

    @Test(arguments: fixtures)
    func removingTwiceSucceedsAndAGoneContainerIsNoSuchContainer(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "remove") else { return }
        try await context.withCleanup {
            let spec = context.spec("gone", image: context.busyboxImage, command: ["sleep", "300"])
            let id = try await context.engine.runContainer(spec)
            try await context.engine.removeContainer(id)
            #expect(try await context.engine.inspectContainer(id) == nil)
            #expect(try await context.engine.inspectContainer(spec.name) == nil)
            try await context.engine.removeContainer(id)
            try await context.engine.removeContainer(spec.name)
            let engine = context.engine
            let logsError = await #expect(throws: EngineError.self) { try await engine.logs(spec.name, tail: nil) }
            #expect(logsError?.code == .noSuchContainer)
            let stopError = await #expect(throws: EngineError.self) {
                try await engine.stopContainer(spec.name, grace: 1)
            }
            #expect(stopError?.code == .noSuchContainer)
            let killError = await #expect(throws: EngineError.self) {
                try await engine.killContainer(spec.name, signal: nil)
            }
            #expect(killError?.code == .noSuchContainer)
        }
    }

    @Test(arguments: fixtures)
    func aNameInUseIsNameInUseAndTheOwnerIsLeftAlone(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "name-in-use") else { return }
        try await context.withCleanup {
            let owner = context.spec("taken", image: context.busyboxImage, command: ["sleep", "300"])
            let ownerID = try await context.engine.runContainer(owner)
            var second = owner
            second.labels[ConformanceRun.suiteLabel + ".role"] = "second"
            let engine = context.engine
            let error = await #expect(throws: EngineError.self) { try await engine.runContainer(second) }
            #expect(error?.code == .nameInUse)
            #expect(error?.message.contains(owner.name) == true)
            let info = try await context.engine.inspectContainer(owner.name)
            #expect(info?.id == ownerID)
            #expect(info?.status == .running)
        }
    }

    @Test(arguments: fixtures)
    func aTakenHostPortIsPortAllocatedAndLeavesNothingBehind(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "port-taken") else { return }
        try await context.withCleanup {
            let engine = context.engine
            // Taken by another container.
            let port = try LoopbackListener.freePort()
            let holder = context.spec(
                "holder",
                image: context.busyboxImage,
                command: ["sleep", "300"],
                publish: PortPublication(hostPort: port, hostIP: "127.0.0.1")
            )
            _ = try await engine.runContainer(holder)
            let loser = context.spec(
                "loser",
                image: context.busyboxImage,
                command: ["sleep", "300"],
                publish: PortPublication(hostPort: port, hostIP: "127.0.0.1")
            )
            let error = await #expect(throws: EngineError.self) { try await engine.runContainer(loser) }
            #expect(error?.code == .portAllocated)
            #expect(error?.message.contains(String(port)) == true)
            #expect(try await engine.inspectContainer(loser.name) == nil)
            #expect(try await engine.inspectContainer(holder.name)?.status == .running)

            // Taken by a process that is not a container.
            let listener = try LoopbackListener()
            let blocked = context.spec(
                "blocked",
                image: context.busyboxImage,
                command: ["sleep", "300"],
                publish: PortPublication(hostPort: listener.port, hostIP: "127.0.0.1")
            )
            let blockedError = await #expect(throws: EngineError.self) { try await engine.runContainer(blocked) }
            #expect(blockedError?.code == .portAllocated)
            #expect(try await engine.inspectContainer(blocked.name) == nil)
            withExtendedLifetime(listener) {}
        }
    }

    /// Docker's allocator hands out host ports in turn: after a container got port P, the next choice
    /// is P+1, and one start skips at most ten held ports. This case holds P+1 to P+14 with listeners
    /// of its own, as a second daemon's containers would, so one start cannot succeed and the engine
    /// must start again. (Podman asks the kernel and never picks a held port; another test taking
    /// ports in between only makes the case easier.)
    @Test(arguments: fixtures)
    func aHostPortTheEngineChoseThatIsHeldElsewhereIsChosenAgain(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "port-rechosen") else { return }
        try await context.withCleanup {
            let engine = context.engine
            let publish = PortPublication(hostIP: "127.0.0.1")
            let probe = context.spec("probe", image: context.busyboxImage, command: ["sleep", "300"], publish: publish)
            let probeID = try await engine.runContainer(probe)
            let chosen = try #require(try await engine.inspectContainer(probeID)?.ports[8000]?.port)
            try await engine.removeContainer(probeID)
            let held = (1...14).compactMap { try? LoopbackListener(port: chosen + $0) }
            let spec = context.spec(
                "sandbox", image: context.busyboxImage, command: ["sleep", "300"], publish: publish)
            let reports = Mutex<[String]>([])
            let id = try await ChosenPortRetry.$report.withValue({ line in reports.withLock { $0.append(line) } }) {
                try await engine.runContainer(spec)
            }
            let port = try #require(try await engine.inspectContainer(id)?.ports[8000]?.port)
            #expect(!held.map(\.port).contains(port), "published on \(port), which a listener of this test holds")
            // Each start after the first is told, for the runner's log.
            let told = reports.withLock { $0 }
            #expect(told.count < ChosenPortRetry.attempts)
            for (index, line) in told.enumerated() {
                #expect(line.hasPrefix("\(spec.name): the host port the engine chose is held by another program"))
                #expect(line.hasSuffix("starting again (\(index + 2)/\(ChosenPortRetry.attempts))"), "\(line)")
            }
            withExtendedLifetime(held) {}
        }
    }

    @Test(arguments: fixtures)
    func aMissingImageIsNoSuchImageAndLeavesNothingBehind(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "missing-image") else { return }
        try await context.withCleanup { () async throws in
            let missing = "swerex-absent-\(ConformanceRun.id):none"
            let spec = context.spec("missing", image: missing, command: ["true"])
            let engine = context.engine
            let error = await #expect(throws: EngineError.self) { try await engine.runContainer(spec) }
            #expect(error?.code == .noSuchImage)
            #expect(error?.message.contains("swerex-absent-\(ConformanceRun.id)") == true)
            #expect(try await engine.inspectContainer(spec.name) == nil)
        }
    }

    @Test(arguments: fixtures)
    func aPullFromARegistryThatIsNotThereFailsWithTheEnginesError(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "pull") else { return }
        // Nothing listens on this loopback port, so the daemon's registry client fails at once and no
        // traffic leaves the machine.
        let port = try LoopbackListener.freePort()
        let reference = "127.0.0.1:\(port)/swerex-absent-\(ConformanceRun.id):test"
        let engine = context.engine
        let error = await #expect(throws: EngineError.self) {
            try await engine.pullImage(reference, platform: nil) { _ in }
        }
        #expect(error.map { [.engineError, .noSuchImage].contains($0.code) } == true, "\(String(describing: error))")
        #expect(try await engine.inspectImage(reference) == nil)
    }

    @Test(arguments: fixtures)
    func aBuildFromAnInMemoryDockerfileReportsProgressAndACanonicalId(_ fixture: EngineFixture) async throws {
        guard let context = await ConformanceContext.make(fixture, "build") else { return }
        try await context.withCleanup {
            let engine = context.engine
            let greeting = "hello-\(ConformanceRun.id)-\(fixture.slug)"
            let tag = "swerex-conf-\(ConformanceRun.id)-\(fixture.slug):built"
            // The ENV line makes every layer this run's own: fixtures that share a daemon must not share
            // cached intermediate images, or removing one build's image races with removing the other's.
            let request = BuildRequest(
                dockerfile: """
                    FROM \(context.busyboxImage)
                    ENV SWEREX_CONFORMANCE_BUILD=\(context.caseID)-\(ConformanceRun.id)
                    ARG GREETING=unset
                    RUN echo "$GREETING" > /greeting
                    """,
                buildArgs: ["GREETING": greeting],
                tag: tag,
                labels: context.labels()
            )
            let events = EventCounter()
            let id = try await engine.buildImage(request) { events.add($0) }
            await ImageLedger.shared.record(id, tag, on: fixture.name)
            #expect(events.count > 0)
            #expect(events.kinds == [.build])
            #expect(id.hasPrefix("sha256:") && id.count == 71 && BuildOutputShape.isHex(id.dropFirst(7)), "\(id)")
            #expect(try await engine.inspectImage(id)?.id == id)
            #expect(try await engine.inspectImage(tag)?.id == id)

            let reader = context.spec("reader", image: id, command: ["cat", "/greeting"])
            _ = try await engine.runContainer(reader)
            #expect(try await context.waitFor(.exited, reader.name)?.exitCode == 0)
            #expect(try await engine.logs(reader.name, tail: nil).stdout == "\(greeting)\n")
            try await engine.removeContainer(reader.name)

            try await engine.removeImage(id, force: true)
            #expect(try await engine.inspectImage(id) == nil)
            #expect(try await engine.inspectImage(tag) == nil)
            try await engine.removeImage(id, force: true)
        }
    }
}

/// Images the suite built, per fixture, for the check at the end.
actor ImageLedger {
    static let shared = ImageLedger()
    private var images: [String: [String]] = [:]

    func record(_ references: String..., on fixture: String) {
        images[fixture, default: []] += references
    }

    func references(on fixture: String) -> [String] { images[fixture] ?? [] }
}

/// Counts progress events from any thread.
final class EventCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ProgressEvent] = []

    func add(_ event: ProgressEvent) { lock.withLock { events.append(event) } }
    var count: Int { lock.withLock { events.count } }
    var kinds: Set<ProgressEvent.Kind> { lock.withLock { Set(events.map(\.kind)) } }
}

enum BuildOutputShape {
    static func isHex(_ text: Substring) -> Bool {
        text.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}

/// After the whole suite: nothing labelled with this run's id is left on any engine.
struct ConformanceLeftoverCheck: SuiteTrait, TestScoping {
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite && testCase == nil ? self : nil
    }

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        try await function()
        for fixture in EngineFixture.all {
            guard case .ready(let engine) = await FixtureRegistry.shared.setup(for: fixture) else { continue }
            do {
                try await checkNothingRemains(on: engine, fixture: fixture)
            } catch {
                Issue.record("conformance[\(fixture.name)]: could not check for leftovers: \(error)")
            }
        }
    }

    /// Reports what this run left on `engine`, then removes it so a failed run does not pile up.
    private func checkNothingRemains(on engine: any ContainerEngine, fixture: EngineFixture) async throws {
        let left = try await engine.listContainers(labels: [ConformanceRun.runLabel: ConformanceRun.id])
        #expect(left.isEmpty, "conformance[\(fixture.name)] left containers: \(left.map(\.name))")
        for container in left {
            try? await engine.removeContainer(container.id)
        }
        var leftImages: [String] = []
        for reference in await ImageLedger.shared.references(on: fixture.name)
        where try await engine.inspectImage(reference) != nil {
            leftImages.append(reference)
            try? await engine.removeImage(reference, force: true)
        }
        #expect(leftImages.isEmpty, "conformance[\(fixture.name)] left images: \(leftImages)")
        if left.isEmpty && leftImages.isEmpty {
            print(
                "conformance[\(fixture.name)]: nothing labelled \(ConformanceRun.runLabel)=\(ConformanceRun.id) remains"
            )
        }
    }
}
