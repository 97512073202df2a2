import ContainerEngine
import Foundation
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

    @Test func aCommandPastItsTimeoutIsStoppedAndReportedAsATimeout() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: EngineError.self) {
            try await shell.run(["-c", "trap '' TERM; sleep 30"], timeout: 1)
        }
        #expect(error?.code == .timeout)
        // One second of timeout, three of grace before SIGKILL, some slack.
        #expect(clock.now - start < .seconds(10))
    }

    @Test func aDaemonisedGrandchildHoldingThePipesDoesNotHangUs() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let output = try await shell.run(["-c", "sleep 30 & echo started"], timeout: 20)
        #expect(output.stdout == "started\n")
        #expect(clock.now - start < .seconds(8))
    }

    @Test func manyCommandsAtOnceLeaveTheCooperativePoolFree() async throws {
        // 16 sleeping children at once: if each held a pool thread, this would take far longer on 2 cores.
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<16 {
                group.addTask { try await shell.run(["-c", "sleep 1"], timeout: 10).status }
            }
            for try await status in group { #expect(status == 0) }
        }
        #expect(clock.now - start < .seconds(6))
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
