internal import ContainerEngine
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// Which stream a line of a command's output came from.
enum OutputStream: Sendable, Hashable {
    case stdout
    case stderr
}

/// What a finished command printed, and how it ended.
struct CommandOutput: Sendable, Hashable {
    /// The exit status, or 128 + the signal number when a signal ended it.
    var status: Int32
    var stdout: String
    var stderr: String

    var succeeded: Bool { status == 0 }
}

/// Runs one program with a fixed environment and no terminal.
///
/// Each command gets its own thread, so waiting on a child never holds a thread of Swift's cooperative
/// pool; the caller's task resumes when the command is done. Both output streams are drained together
/// with `poll`, so a child that fills one pipe while we wait on the other cannot deadlock us.
struct CommandLauncher: Sendable {
    /// Absolute path of the program.
    let executable: String
    /// The complete environment of every child.
    let environment: [String: String]

    /// How long to keep reading after the child exits: a grandchild that inherited the pipes (a
    /// daemonised helper) could otherwise hold them open forever.
    static let drainAfterExit: Double = 2
    /// How long a child gets between SIGTERM and SIGKILL when its timeout expires.
    static let terminationGrace: Double = 3

    /// Runs the program and returns what it printed.
    /// - Parameters:
    ///   - arguments: the argv after the program name.
    ///   - input: bytes for the child's stdin; nil gives it /dev/null.
    ///   - timeout: the child is terminated (then killed) after this many seconds.
    ///   - onLine: called with each complete line (without its newline) as it arrives, on the command's thread.
    /// - Throws: `EngineError.Code.timeout` when the timeout expired, `.engineError` when the program
    ///   could not be started.
    func run(
        _ arguments: [String],
        input: Data? = nil,
        timeout: Double,
        onLine: (@Sendable (OutputStream, String) -> Void)? = nil
    ) async throws(EngineError) -> CommandOutput {
        let job = CommandJob(
            executable: executable,
            arguments: arguments,
            environment: environment,
            input: input,
            timeout: timeout,
            onLine: onLine
        )
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<CommandOutput, EngineError>, Never>) in
            let thread = Thread {
                continuation.resume(returning: job.execute())
            }
            thread.name = "swerex-run \(URL(fileURLWithPath: executable).lastPathComponent)"
            thread.start()
        }
        return try result.get()
    }
}

/// One command from start to exit, run on its own thread.
private struct CommandJob: Sendable {
    let executable: String
    let arguments: [String]
    let environment: [String: String]
    let input: Data?
    let timeout: Double
    let onLine: (@Sendable (OutputStream, String) -> Void)?

    /// The command as a user would type it, for error messages.
    var commandLine: String {
        ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
    }

    func execute() -> Result<CommandOutput, EngineError> {
        ignoreBrokenPipes
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        let stdinPipe = input.map { _ in Pipe() }
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdinPipe ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(EngineError(.engineError, "could not start \(commandLine): \(error)"))
        }
        var pump = OutputPump(
            stdout: stdoutPipe.fileHandleForReading.fileDescriptor,
            stderr: stderrPipe.fileHandleForReading.fileDescriptor,
            stdin: stdinPipe?.fileHandleForWriting,
            input: input ?? Data(),
            onLine: onLine
        )
        let child = ChildProcess(process: process)
        let timedOut = pump.drain(child: child, timeout: timeout)
        let status = child.waitForExit()
        if timedOut {
            return .failure(
                EngineError(
                    .timeout,
                    "\(commandLine) did not finish within \(Int(timeout)) s and was stopped",
                    hint: "check that the engine is responsive (`\(commandLine.split(separator: " ")[0]) info`)"
                )
            )
        }
        return .success(CommandOutput(status: status, stdout: pump.stdoutText, stderr: pump.stderrText))
    }
}

/// A started child, watched without reaping it.
///
/// Foundation's `Process` on Linux learns that its child ended only when a socket the child inherited
/// closes, which a daemonised grandchild (podman's conmon, a backgrounded `sleep`) keeps open for its
/// whole life. So `isRunning` and `waitUntilExit` cannot be trusted alone; `waitid` with `WNOWAIT`
/// reads the exit status and leaves the zombie for Foundation to reap when its socket closes. When
/// Foundation has reaped it first, its own status is the answer.
private struct ChildProcess {
    let process: Process

    func hasExited() -> Bool {
        exitStatus(blocking: false) != nil
    }

    /// Waits for the child to exit; returns its status, or 128 + the signal that ended it.
    func waitForExit() -> Int32 {
        while true {
            if let status = exitStatus(blocking: true) { return status }
        }
    }

    /// Sends `signal` to the child's process group (Foundation starts each child in a group of its
    /// own), so helpers it started go too.
    func signalGroup(_ signal: Int32) {
        kill(-process.processIdentifier, signal)
    }

    private func exitStatus(blocking: Bool) -> Int32? {
        var info = siginfo_t()
        let options = WEXITED | WNOWAIT | (blocking ? 0 : WNOHANG)
        let result = waitid(P_PID, id_t(process.processIdentifier), &info, options)
        if result == 0 {
            let child = info._sifields._sigchld
            guard child.si_pid == process.processIdentifier else { return nil }
            return info.si_code == CLD_EXITED ? child.si_status : 128 + child.si_status
        }
        guard errno == ECHILD else { return nil }
        // Reaped by Foundation: its status fields are set just before `isRunning` turns false.
        while process.isRunning { usleep(1000) }
        let status = process.terminationStatus
        return process.terminationReason == .uncaughtSignal ? 128 + status : status
    }
}

/// Ignores SIGPIPE once for the whole process: a child that exits before reading all of its stdin
/// must turn our write into an EPIPE error, not kill us.
private let ignoreBrokenPipes: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

/// Moves bytes between our end of the pipes and the child until the child is done.
private struct OutputPump {
    private var stdoutReader: LineReader
    private var stderrReader: LineReader
    private let stdin: FileHandle?
    private let input: Data
    private var written = 0
    private var stdinOpen: Bool

    init(
        stdout: Int32,
        stderr: Int32,
        stdin: FileHandle?,
        input: Data,
        onLine: (@Sendable (OutputStream, String) -> Void)?
    ) {
        self.stdoutReader = LineReader(descriptor: stdout, stream: .stdout, onLine: onLine)
        self.stderrReader = LineReader(descriptor: stderr, stream: .stderr, onLine: onLine)
        self.stdin = stdin
        self.input = input
        self.stdinOpen = stdin != nil
        if let stdin {
            let flags = fcntl(stdin.fileDescriptor, F_GETFL)
            _ = fcntl(stdin.fileDescriptor, F_SETFL, flags | O_NONBLOCK)
            if input.isEmpty { closeStdin() }
        }
    }

    var stdoutText: String { stdoutReader.text }
    var stderrText: String { stderrReader.text }

    /// Reads both streams (and feeds stdin) until both reach end of file, or the child has exited and
    /// the streams stayed open past `drainAfterExit`. Returns whether the timeout expired.
    mutating func drain(child: ChildProcess, timeout: Double) -> Bool {
        let start = Date()
        var exitedAt: Date?
        var terminatedAt: Date?
        while stdoutReader.isOpen || stderrReader.isOpen {
            let now = Date()
            if child.hasExited() {
                if let exitedAt, now.timeIntervalSince(exitedAt) > CommandLauncher.drainAfterExit { break }
                exitedAt = exitedAt ?? now
            } else if let terminatedAt {
                if now.timeIntervalSince(terminatedAt) > CommandLauncher.terminationGrace {
                    child.signalGroup(SIGKILL)
                }
            } else if now.timeIntervalSince(start) > timeout {
                child.signalGroup(SIGTERM)
                terminatedAt = now
            }
            pollOnce()
        }
        stdoutReader.finish()
        stderrReader.finish()
        if stdinOpen { closeStdin() }
        return terminatedAt != nil
    }

    private mutating func pollOnce() {
        var descriptors = [
            pollfd(fd: stdoutReader.isOpen ? stdoutReader.descriptor : -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stderrReader.isOpen ? stderrReader.descriptor : -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stdinOpen ? stdin!.fileDescriptor : -1, events: Int16(POLLOUT), revents: 0),
        ]
        let ready = poll(&descriptors, nfds_t(descriptors.count), 100)
        guard ready > 0 else { return }
        if descriptors[0].revents != 0 { stdoutReader.readAvailable() }
        if descriptors[1].revents != 0 { stderrReader.readAvailable() }
        if descriptors[2].revents != 0 { writeInput() }
    }

    private mutating func writeInput() {
        guard let stdin else { return }
        let count = input.withUnsafeBytes { bytes in
            write(stdin.fileDescriptor, bytes.baseAddress! + written, bytes.count - written)
        }
        if count > 0 { written += count }
        if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) { closeStdin() }
    }

    private mutating func closeStdin() {
        try? stdin?.close()
        stdinOpen = false
    }
}

/// Collects one output stream and cuts it into lines as bytes arrive.
private struct LineReader {
    let descriptor: Int32
    let stream: OutputStream
    let onLine: (@Sendable (OutputStream, String) -> Void)?
    private(set) var isOpen = true
    private var bytes: [UInt8] = []
    private var lineStart = 0

    init(descriptor: Int32, stream: OutputStream, onLine: (@Sendable (OutputStream, String) -> Void)?) {
        self.descriptor = descriptor
        self.stream = stream
        self.onLine = onLine
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func readAvailable() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if count > 0 {
            bytes.append(contentsOf: buffer[0..<count])
            emitCompleteLines()
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            isOpen = false
        }
    }

    /// Emits a last line that had no newline.
    mutating func finish() {
        isOpen = false
        if lineStart < bytes.count { emit(bytes[lineStart...]) }
        lineStart = bytes.count
    }

    private mutating func emitCompleteLines() {
        guard onLine != nil else {
            lineStart = bytes.count
            return
        }
        while let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            emit(bytes[lineStart..<newline])
            lineStart = newline + 1
        }
    }

    private func emit(_ line: ArraySlice<UInt8>) {
        guard let onLine else { return }
        var text = String(decoding: line, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        onLine(stream, text)
    }
}
