public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program run to its end from a test, waited for in a way that holds up while other tests of the
/// same process start long-lived children of their own.
///
/// A child started with `posix_spawn` or `fork` inherits every descriptor the test process has open
/// at that moment: the write end of another test's output pipe, or the socket through which Foundation
/// learns that its own child ended. While such a child lives, reading a pipe to its end of file and
/// `Process.waitUntilExit()` never return, and each blocks a thread of the cooperative pool (two on
/// this machine): the whole suite then stops. So the output goes to files, the exit status is read
/// with `waitid(WNOWAIT)`, and the wait polls with `Task.sleep`.
public struct ChildRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// Runs `executable` with `arguments` and returns how it ended.
    /// - Parameters:
    ///   - environment: the child's whole environment; nil passes on this process's.
    ///   - directory: the working folder; nil keeps this process's.
    ///   - input: bytes for the child's stdin; nil gives it /dev/null.
    ///   - limit: a hang guard: after it the child is killed (status 137).
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: String? = nil,
        input: Data? = nil,
        limit: Duration = .seconds(600)
    ) async throws -> ChildRun {
        let folder = NSTemporaryDirectory() + "swerex-child-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let handles = try ["stdin", "stdout", "stderr"].map { name -> FileHandle in
            let path = "\(folder)/\(name)"
            _ = FileManager.default.createFile(atPath: path, contents: name == "stdin" ? input : nil)
            guard let handle = name == "stdin" ? FileHandle(forReadingAtPath: path) : FileHandle(forWritingAtPath: path)
            else { throw POSIXError(.EIO) }
            return handle
        }
        process.standardInput = input == nil ? FileHandle.nullDevice : handles[0]
        process.standardOutput = handles[1]
        process.standardError = handles[2]
        try process.run()
        for handle in handles { try? handle.close() }
        let status = await exitStatus(of: process, limit: limit)
        let read = { (name: String) in (try? String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)) ?? "" }
        return ChildRun(status: status, stdout: read("stdout"), stderr: read("stderr"))
    }

    /// Runs a program found on PATH, such as `docker` or `podman`, for a test's own set-up and checks;
    /// `environment` adds to this process's.
    public static func program(
        _ name: String, _ arguments: [String], adding environment: [String: String] = [:],
        limit: Duration = .seconds(180)
    ) async throws -> ChildRun {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        return try await run("/usr/bin/env", [name] + arguments, environment: merged, limit: limit)
    }

    /// The exit status of `process` (128 + the signal when one ended it), polled without reaping the
    /// child, which is Foundation's to reap; when Foundation has reaped it first, its own status.
    public static func exitStatus(of process: Process, limit: Duration = .seconds(600)) async -> Int32 {
        let pid = process.processIdentifier
        let deadline = ContinuousClock.now + limit
        while true {
            var info = siginfo_t()
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG) == 0 {
                let child = info._sifields._sigchld
                if child.si_pid == pid {
                    return info.si_code == CLD_EXITED ? child.si_status : 128 + child.si_status
                }
            } else if errno == ECHILD {
                while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
                let status = process.terminationStatus
                return process.terminationReason == .uncaughtSignal ? 128 + status : status
            }
            if ContinuousClock.now >= deadline { kill(pid, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Whether process `pid` has ended: it is gone, or a zombie waiting to be reaped.
    public static func hasEnded(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let nameEnd = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: nameEnd)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    /// Sends `signal` to `pid` and waits (blocking, briefly) until it has ended, up to `limit`.
    /// For test servers, which must not wait for an end of file that another child may hold back.
    public static func stop(_ pid: pid_t, signal: Int32 = SIGKILL, limit: Duration = .seconds(30)) {
        kill(pid, signal)
        let deadline = ContinuousClock.now + limit
        while !hasEnded(pid), ContinuousClock.now < deadline { usleep(5000) }
    }
}
