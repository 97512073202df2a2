import CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with posix_spawn, its output going to files, so that daemons the child
/// leaves behind (podman's conmon) cannot hold our pipes open.
final class Subprocess: @unchecked Sendable {
    let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private var status: Int32?

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
    }

    /// Starts `executable` with `arguments` in `directory`. With `closedStdout`, its stdout is a pipe
    /// nobody reads (as in `swerex-run up | true`): writing to it fails with EPIPE or raises SIGPIPE.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String,
        closedStdout: Bool = false
    ) throws {
        let folder = NSTemporaryDirectory() + "swerex-cmdtest-out-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        stdoutPath = folder + "/stdout"
        stderrPath = folder + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pipeEnds: [Int32] = [-1, -1]
        if closedStdout {
            guard pipe(&pipeEnds) == 0 else { throw POSIXError(.EMFILE) }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        defer { pipeEnds.filter { $0 >= 0 }.forEach { close($0) } }
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Only 0, 1 and 2: a long-lived child must not hold other tests' pipes open.
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner may ignore or block signals; the child gets the defaults back.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGHUP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        // posix_spawn has no portable chdir action here, so a shell changes folder and execs the binary.
        let shell = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable]
        let argv = (shell + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        self.pid = pid
    }

    func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Runs `executable` to the end (at most `timeout` seconds).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String,
        timeout: Double = 60
    ) async throws -> Result {
        try await Subprocess(executable, arguments, environment: environment, directory: directory)
            .wait(timeout: timeout)
    }

    /// Whether the child has exited, reaping it (and keeping its status) when it has.
    private func exited() -> Bool {
        guard status == nil else { return true }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return false }
        let signalled = raw & 0x7f
        status = signalled == 0 ? (raw >> 8) & 0xff : 128 + signalled
        return true
    }

    /// Waits for the child, killing it when `timeout` passes; returns its status and output.
    func wait(timeout: Double) async -> Result {
        let start = Date()
        while !exited() {
            if Date().timeIntervalSince(start) > timeout {
                kill(pid, SIGKILL)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return Result(status: status!, stdout: stdout, stderr: stderr, seconds: Date().timeIntervalSince(start))
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until `text` shows up on stderr, or `timeout` passes.
    func waitForStderr(containing text: String, timeout: Double) async -> Bool {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if stderr.contains(text) { return true }
            if exited() { return stderr.contains(text) }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
