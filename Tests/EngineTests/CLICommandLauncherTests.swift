import ContainerEngine
import Foundation
import TestSupport
import Testing

@testable import DockerCLI

/// The process runner under the cli engine, on real child processes.
@Suite struct CLICommandLauncherTests {
    let shell = CommandLauncher(executable: "/bin/sh", environment: ["PATH": "/usr/bin:/bin", "GREETING": "hi"])

    @Test func stdoutAndStderrComeBackApartWithTheExitStatus() async throws {
        let output = try await shell.run(["-c", "echo out; echo err >&2; exit 3"], timeout: 10)
        #expect(output == CommandOutput(status: 3, stdout: "out\n", stderr: "err\n"))
    }

    @Test func theChildSeesExactlyTheGivenEnvironment() async throws {
        let output = try await shell.run(["-c", "echo $GREETING; echo ${HOME:-none}"], timeout: 10)
        #expect(output.stdout == "hi\nnone\n")
    }

    @Test func megabytesOnBothStreamsDoNotDeadlock() async throws {
        // Far more than a pipe holds (64 KiB), written to both streams interleaved.
        let script =
            "i=0; while [ $i -lt 2000 ]; do echo line$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; "
            + "echo err$i-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy >&2; i=$((i+1)); done"
        let output = try await shell.run(["-c", script], timeout: 60)
        #expect(output.status == 0)
        #expect(output.stdout.split(separator: "\n").count == 2000)
        #expect(output.stderr.split(separator: "\n").count == 2000)
    }

    @Test func stdinIsDevNullUnlessInputIsGiven() async throws {
        let closed = try await shell.run(["-c", "cat; echo done"], timeout: 10)
        #expect(closed.stdout == "done\n")
        let big = String(repeating: "0123456789abcdef\n", count: 20_000)
        let fed = try await shell.run(["-c", "wc -c"], input: Data(big.utf8), timeout: 30)
        #expect(fed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(big.utf8.count))
    }

    @Test func aChildThatIgnoresItsInputDoesNotHurtUs() async throws {
        let input = Data(repeating: 65, count: 1_000_000)
        let output = try await shell.run(["-c", "exit 0"], input: input, timeout: 10)
        #expect(output.status == 0)
    }

    @Test func linesReachTheCallbackAsTheyArrive() async throws {
        let lines = Lines()
        _ = try await shell.run(["-c", "printf 'a\\nb\\r\\n'; echo c >&2; printf 'tail'"], timeout: 10) {
            stream, line in
            lines.append("\(stream):\(line)")
        }
        #expect(lines.all.sorted() == ["stderr:c", "stdout:a", "stdout:b", "stdout:tail"])
    }

    /// Not a speed target (those belong in benchmarks): a bound far above what a loaded machine needs
    /// and far below what the broken behaviour would take, so only a hang trips it.
    static let hangGuard = Duration.seconds(60)

    @Test func aCommandPastItsTimeoutIsStoppedAndReportedAsATimeout() async throws {
        let folder = TemporaryFolder()
        let pids = folder.file("pids")
        let clock = ContinuousClock()
        let start = clock.now
        // The shell and its sleep ignore TERM, so only the SIGKILL after the grace period ends them; left
        // alone they would run for ten minutes.
        let error = await #expect(throws: EngineError.self) {
            try await shell.run(["-c", "trap '' TERM; sleep 600 & echo $$ $! > \(pids); wait"], timeout: 3)
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.hasSuffix("did not finish within 3 s and was stopped") == true)
        #expect(clock.now - start < Self.hangGuard)
        // On a very busy machine the shell may not have got as far as writing its pids in three seconds;
        // then there is nothing left to check.
        let written = (try? String(contentsOfFile: pids, encoding: .utf8))?.split(separator: " ") ?? []
        for pid in written.compactMap({ pid_t($0.trimmed) }) {
            // A killed process may take a moment to finish dying; one that was not killed runs on.
            let deadline = ContinuousClock.now + .seconds(30)
            while !ChildRun.hasEnded(pid), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(ChildRun.hasEnded(pid), "process \(pid) of the stopped command is still running")
        }
    }

    @Test func aDaemonisedGrandchildHoldingThePipesDoesNotHangUs() async throws {
        // The grandchild keeps both pipes open for ten minutes: waiting for their end of file would run
        // into the timeout and fail with a timeout error instead of returning the output.
        let output = try await shell.run(["-c", "sleep 600 & echo $!"], timeout: 60)
        let grandchild = try #require(pid_t(output.stdout.trimmed), "stdout: \(output.stdout)")
        kill(grandchild, SIGKILL)
        #expect(output.status == 0)
    }

    @Test func manyCommandsAtOnceLeaveTheCooperativePoolFree() async throws {
        // More children at once than the cooperative pool has threads. Each says it started, then waits
        // for a release file that this task (itself on the pool) writes once all have started: if a
        // waiting command held a pool thread, the pool would run dry before all started, and the
        // children would give up waiting after a minute and a half and exit 1.
        let count = max(16, 2 * ProcessInfo.processInfo.activeProcessorCount)
        let folder = TemporaryFolder()
        let release = folder.file("release")
        let script =
            "touch \(folder.file("started")).$0; i=0; "
            + "while [ ! -e \(release) ]; do i=$((i+1)); [ $i -gt 450 ] && exit 1; sleep 0.2; done"
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<count {
                group.addTask { try await shell.run(["-c", script, "\(index)"], timeout: 300).status }
            }
            let deadline = ContinuousClock.now + .seconds(80)
            while startedCount(in: folder) < count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(startedCount(in: folder) == count, "not all \(count) commands ran at once")
            _ = FileManager.default.createFile(atPath: release, contents: nil)
            for try await status in group { #expect(status == 0) }
        }
    }

    @Test func aMissingProgramIsProgramNotFoundWithAHint() {
        let error = #expect(throws: EngineError.self) {
            try DockerCLIEngine(runtime: "swerex-no-such-cli", environment: ["PATH": "/usr/bin:/bin"])
        }
        #expect(error?.code == .programNotFound)
        #expect(error?.hint?.contains("engine: sdk") == true)
    }

    @Test func programLookupFollowsPATH() {
        #expect(ProgramLookup.find("sh", path: "/nonexistent:/bin") == "/bin/sh")
        #expect(ProgramLookup.find("sh", path: "/nonexistent") == nil)
        #expect(ProgramLookup.find("/bin/sh", path: nil) == "/bin/sh")
        #expect(ProgramLookup.find("/etc", path: nil) == nil)
    }
}

/// Lines gathered from the launcher's callback thread.
private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// How many `started.N` files the children wrote into `folder`.
private func startedCount(in folder: TemporaryFolder) -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("started.") }
        .count
}

extension StringProtocol {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
