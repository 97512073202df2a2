import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A unix socket that passes every byte to and from the real dockerd's socket, and that a test can
/// pause (an engine that takes requests and never answers, as a stopped dockerd) or kill (the
/// socket file stays, connections are refused, as a dead dockerd). It stands in for hanging or
/// killing the shared daemon, which other engineers' tests use.
final class SocketRelay: @unchecked Sendable {
    let path: String
    private let target: String
    private let lock = NSLock()
    private var paused = false
    private var stopped = false
    private var listener: Int32 = -1
    private var open: Set<Int32> = []

    init(path: String, target: String = "/var/run/docker.sock") throws {
        self.path = path
        self.target = target
        unlink(path)
        listener = try Self.socketAddress(path) { descriptor, address, length in
            guard bind(descriptor, address, length) == 0, listen(descriptor, 64) == 0 else { return false }
            return true
        }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var isPaused: Bool { lock.withLock { paused } }
    private var isStopped: Bool { lock.withLock { stopped } }

    func pause() { lock.withLock { paused = true } }
    func resume() { lock.withLock { paused = false } }

    /// Refuses every connection from now on and drops the open ones; the socket file stays.
    func kill() {
        let descriptors = lock.withLock { () -> [Int32] in
            stopped = true
            defer { open = [] }
            return Array(open) + [listener]
        }
        for descriptor in descriptors {
            shutdown(descriptor, Int32(SHUT_RDWR))
            close(descriptor)
        }
    }

    private func acceptLoop() {
        while !isStopped {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0, !isPaused, !isStopped else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            guard
                let server = try? Self.socketAddress(
                    target,
                    { descriptor, address, length in
                        connect(descriptor, address, length) == 0
                    })
            else {
                close(client)
                continue
            }
            lock.withLock { open.formUnion([client, server]) }
            Thread.detachNewThread { [self] in pump(client, server) }
        }
    }

    /// Copies bytes both ways until one side closes, standing still while paused.
    private func pump(_ client: Int32, _ server: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        loop: while !isStopped {
            if isPaused {
                usleep(50_000)
                continue
            }
            var pollers = [
                pollfd(fd: client, events: Int16(POLLIN), revents: 0),
                pollfd(fd: server, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&pollers, 2, 100) > 0 else { continue }
            for (index, poller) in pollers.enumerated() where poller.revents != 0 {
                let (from, to) = index == 0 ? (client, server) : (server, client)
                let count = read(from, &buffer, buffer.count)
                guard count > 0, writeAll(to, buffer, count) else { break loop }
            }
        }
        let owned = lock.withLock { open.remove(client) != nil }
        if owned {
            lock.withLock { _ = open.remove(server) }
            close(client)
            close(server)
        }
    }

    private func writeAll(_ descriptor: Int32, _ bytes: [UInt8], _ count: Int) -> Bool {
        var done = 0
        while done < count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, count - done) }
            guard written > 0 else { return false }
            done += written
        }
        return true
    }

    /// A unix stream socket with `path` as its address, handed to `use` (bind or connect).
    private static func socketAddress(
        _ path: String, _ use: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
    ) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let done = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                use(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard descriptor >= 0, done else {
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return descriptor
    }
}
