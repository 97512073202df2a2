import CSpawn
import Foundation
import Glibc
import Synchronization

/// A local unix socket forwarded by `ssh -L` to a socket on a remote host, so an ``HTTPClient``
/// can reach a remote Docker daemon as ``HTTPTarget/unixSocket(path:)``.
///
/// ssh runs in a process group of its own, so a Ctrl-C meant for this program does not cut the
/// tunnel that its clean-up still needs. The tunnel ends on ``close()``, when the object goes away,
/// when the program exits, and also when the program dies in any other way (SIGKILL, SIGPIPE): ssh
/// runs `cat` on the remote side with its stdin on a pipe only this process holds, so the pipe's
/// end-of-file ends the remote command and with it the session and the forward. Folders of tunnels
/// that died that way are removed by the next tunnel that opens.
public final class SSHTunnel: Sendable {
    /// The forwarded socket, inside a private temporary folder.
    public let localSocketPath: String
    private let folder: String
    private let destination: String
    /// The write end of ssh's stdin; closing it (or dying) ends the session.
    private let lifeline: Int32
    /// The ssh process while it has not been reaped; nil once it has exited or the tunnel closed.
    private let process = Mutex<pid_t?>(nil)

    private init(folder: String, destination: String, pid: pid_t, lifeline: Int32) {
        self.folder = folder
        self.localSocketPath = folder + "/docker.sock"
        self.destination = destination
        self.lifeline = lifeline
        process.withLock { $0 = pid }
        TunnelRegistry.shared.add(pid: pid, folder: folder)
    }

    deinit {
        close()
    }

    /// Starts `ssh [-F configFile] [-l user] [-p port] -o BatchMode=yes -o ExitOnForwardFailure=yes
    /// -o StreamLocalBindUnlink=yes -o ConnectTimeout=10 -T -L <local socket>:<remoteSocket> -- host cat`
    /// (`cat` holds the session open until this process closes ssh's stdin or dies)
    /// and waits until the local socket accepts connections.
    /// - Parameters:
    ///   - user: the remote login, or nil for ssh's default.
    ///   - host: a host name or IP (IPv6 without brackets), or an alias from `configFile`.
    ///   - port: the ssh port, or nil for ssh's default.
    ///   - remoteSocket: the socket on the remote host, such as `/var/run/docker.sock`.
    ///   - configFile: an ssh_config passed as `-F`.
    /// - Throws: `HTTPError` `.cannotConnect` with ssh's own message when ssh exits first (it never
    ///   prompts), `.timeout` when the socket is not ready within 30 s, `.cancelled` if the task is.
    public static func open(
        user: String?,
        host: String,
        port: Int?,
        remoteSocket: String,
        configFile: String?
    ) async throws(HTTPError) -> SSHTunnel {
        let destination = describe(user: user, host: host, port: port, remoteSocket: remoteSocket)
        removeAbandonedFolders()
        let folder = try makePrivateFolder(for: destination)
        var arguments = ["ssh"]
        if let configFile { arguments += ["-F", configFile] }
        if let user { arguments += ["-l", user] }
        if let port { arguments += ["-p", String(port)] }
        for option in ["BatchMode=yes", "ExitOnForwardFailure=yes", "StreamLocalBindUnlink=yes", "ConnectTimeout=10"] {
            arguments += ["-o", option]
        }
        arguments += ["-T", "-L", "\(folder)/docker.sock:\(remoteSocket)", "--", host, "cat"]
        let started: (pid: pid_t, lifeline: Int32)
        do throws(HTTPError) {
            started = try spawn(arguments, stderrPath: folder + "/ssh.stderr", destination: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        let tunnel = SSHTunnel(folder: folder, destination: destination, pid: started.pid, lifeline: started.lifeline)
        try await tunnel.waitUntilReady(deadline: .now + .seconds(30))
        return tunnel
    }

    /// Stops ssh and removes the socket and its folder. Safe to call more than once.
    public func close() {
        let running = process.withLock { pid in
            defer { pid = nil }
            return pid
        }
        if let running {
            Glibc.close(lifeline)
            Self.terminate(running)
            TunnelRegistry.shared.remove(pid: running)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Polls until the forwarded socket accepts a connection, ssh exits, the deadline passes or the
    /// task is cancelled; on every failure the tunnel is closed first.
    private func waitUntilReady(deadline: ContinuousClock.Instant) async throws(HTTPError) {
        while true {
            if let status = reapIfExited() {
                let said = (try? String(contentsOfFile: folder + "/ssh.stderr", encoding: .utf8)) ?? ""
                close()
                let message = said.trimmingCharacters(in: .whitespacesAndNewlines)
                throw HTTPError(
                    .cannotConnect,
                    "ssh tunnel to \(destination) failed (ssh \(status)): \(message.isEmpty ? "no message" : message)")
            }
            if Self.acceptsConnections(localSocketPath) { return }
            if ContinuousClock.now >= deadline {
                close()
                throw HTTPError(.timeout, "ssh tunnel to \(destination) was not ready within 30 s")
            }
            do {
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                close()
                throw HTTPError(.cancelled, "opening the ssh tunnel to \(destination) was cancelled")
            }
        }
    }

    /// How ssh ended ("exit status 255", "signal 9") if it has, reaping it; nil while it runs.
    private func reapIfExited() -> String? {
        process.withLock { pid -> String? in
            guard let running = pid else { return "already stopped" }
            var status: Int32 = 0
            guard waitpid(running, &status, WNOHANG) == running else { return nil }
            pid = nil
            TunnelRegistry.shared.remove(pid: running)
            let signal = status & 0x7f
            return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(signal)"
        }
    }
}

extension SSHTunnel {
    /// The forward as a user would read it, such as `ssh://root@127.0.0.1:2222/var/run/docker.sock`.
    fileprivate static func describe(user: String?, host: String, port: Int?, remoteSocket: String) -> String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "ssh://\(user.map { "\($0)@" } ?? "")\(hostPart)\(port.map { ":\($0)" } ?? "")\(remoteSocket)"
    }

    /// A new folder only this user can enter, short enough that a socket path in it fits `sun_path`.
    fileprivate static func makePrivateFolder(for destination: String) throws(HTTPError) -> String {
        let parent = temporaryParent()
        var template = Array((parent + "/swerex-ssh-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            let reason = String(cString: strerror(errno))
            throw HTTPError(
                .cannotConnect, "ssh tunnel to \(destination): cannot make a folder in \(parent): \(reason)")
        }
        return String(cString: made)
    }

    /// Starts ssh with stdin on a pipe whose write end is returned (close-on-exec, so no other child
    /// holds it), stdout on /dev/null, stderr into a file and default signal handling.
    /// (libcurl's sockets are close-on-exec, so ssh does not inherit the client's connections.)
    fileprivate static func spawn(
        _ arguments: [String],
        stderrPath: String,
        destination: String
    ) throws(HTTPError) -> (pid: pid_t, lifeline: Int32) {
        var ends: [Int32] = [0, 0]
        // Glibc's pipe2 is not visible to Swift; FD_CLOEXEC right after is as good here.
        guard pipe(&ends) == 0, fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0
        else {
            let reason = String(cString: strerror(errno))
            throw HTTPError(.cannotConnect, "ssh tunnel to \(destination): cannot make a pipe: \(reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // ssh outlives many requests: it keeps none of the runner's sockets, locks or pipes.
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        var allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, "ssh", &actions, &attributes, argv, environ)
        Glibc.close(ends[0])
        guard result == 0 else {
            Glibc.close(ends[1])
            let reason = String(cString: strerror(result))
            throw HTTPError(.cannotConnect, "ssh tunnel to \(destination): cannot run ssh: \(reason)")
        }
        return (pid, ends[1])
    }

    /// Removes this user's tunnel folders whose ssh is gone (its program was killed): older than a
    /// minute, so a tunnel still starting elsewhere is left alone, and with no live socket.
    fileprivate static func removeAbandonedFolders() {
        let parent = temporaryParent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix("swerex-ssh-") {
            let folder = parent + "/" + name
            var info = stat()
            guard lstat(folder, &info) == 0, info.st_uid == getuid(), (info.st_mode & S_IFMT) == S_IFDIR,
                time(nil) - info.st_mtim.tv_sec > 60, !acceptsConnections(folder + "/docker.sock")
            else { continue }
            for file in ["docker.sock", "ssh.stderr"] { unlink(folder + "/" + file) }
            rmdir(folder)
        }
    }

    /// Where tunnel folders go: the temporary folder, unless its path is too long for a socket.
    fileprivate static func temporaryParent() -> String {
        var parent = NSTemporaryDirectory()
        if parent.hasSuffix("/") { parent.removeLast() }
        return parent.utf8.count > 60 ? "/tmp" : parent
    }

    /// Asks ssh to stop, and kills it if it has not within two seconds.
    fileprivate static func terminate(_ pid: pid_t) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<200 {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    /// Whether something listens on the unix socket at `path`.
    fileprivate static func acceptsConnections(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }
}

/// The ssh processes of tunnels still open, so that a program which exits without closing its
/// tunnels (deinit does not run at exit) leaves no ssh behind. A killed program still can; see
/// ``SSHTunnel``.
private final class TunnelRegistry: Sendable {
    static let shared = TunnelRegistry()
    private let open = Mutex<[pid_t: String]>([:])

    private init() {
        atexit {
            TunnelRegistry.shared.closeAll()
        }
    }

    func add(pid: pid_t, folder: String) {
        open.withLock { $0[pid] = folder }
    }

    func remove(pid: pid_t) {
        _ = open.withLock { $0.removeValue(forKey: pid) }
    }

    /// Stops every ssh still running and removes its socket folder, without waiting.
    private func closeAll() {
        let remaining = open.withLock { tunnels in
            defer { tunnels = [:] }
            return tunnels
        }
        for (pid, folder) in remaining {
            kill(pid, SIGTERM)
            for name in ["docker.sock", "ssh.stderr"] { unlink(folder + "/" + name) }
            rmdir(folder)
        }
    }
}
