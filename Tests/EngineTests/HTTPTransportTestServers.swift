import Foundation
import HTTPTransport
import TestSupport

/// A small HTTP/1.1 keep-alive server in Python, on 127.0.0.1 or a unix socket, for transport tests.
/// It exits when its stdin closes, so it never outlives the test process; ``stop()`` kills it.
///
/// Routes: `/mirror` answers with the request body; `/echo` with the method, path and headers as
/// JSON; `/slow?ms=N` waits first; `/together?n=N` waits until N of its kind are in at once (200), or
/// two minutes (504); `/stream?chunks=N&ms=M` sends N chunked parts M ms apart, and with `held=1` holds
/// all but the first until `/release` (or two minutes); `/missing` is a 404 with a JSON message;
/// `/stats` counts the connections accepted so far, the `/slow` and `/together` requests being served
/// (`active`) and the most at once (`peak`).
final class PythonHTTPServer {
    let target: HTTPTarget
    private let process = Process()
    private let input = Pipe()
    private var stopped = false

    /// Starts the server on `unixSocket`, or on a free port of 127.0.0.1 when nil.
    init(unixSocket: String? = nil) throws {
        // Debian's own python starts faster than a version manager's shim on PATH.
        let system = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        process.executableURL = URL(fileURLWithPath: system ? "/usr/bin/python3" : "/usr/bin/env")
        process.arguments =
            (system ? [] : ["python3"]) + ["-c", Self.script] + (unixSocket.map { ["unix", $0] } ?? ["tcp"])
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = Self.readLine(output.fileHandleForReading)
        if let unixSocket {
            target = .unixSocket(path: unixSocket)
        } else {
            target = .tcp(host: "127.0.0.1", port: Int(line) ?? 0, tls: nil)
        }
    }

    deinit { stop() }

    /// The TCP port, or 0 on a unix socket.
    var port: Int {
        if case .tcp(_, let port, _) = target { return port }
        return 0
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        try? input.fileHandleForWriting.close()
        // Killed rather than waited for: the end of file on its stdin never comes while a child that
        // another test started holds a copy of the pipe (see ChildRun), and waitUntilExit would block a
        // thread of the cooperative pool until then. SIGTERM would be blocked (see WatchedProcess).
        ChildRun.stop(process.processIdentifier, signal: SIGKILL)
    }

    /// Reads up to the first newline, which the server prints once it listens.
    static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            guard let byte = try? handle.read(upToCount: 1), let first = byte.first, first != 10 else { break }
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let script = #"""
        import http.server, json, os, socketserver, sys, threading, time, urllib.parse
        stats = {"connections": 0, "active": 0, "peak": 0}
        lock = threading.Lock()
        changed = threading.Condition(lock)
        released = threading.Event()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def setup(self):
                super().setup()
                with lock: stats["connections"] += 1
            def reply(self, status, body, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD": self.wfile.write(body)
            def handle_any(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if url.path == "/mirror":
                    self.reply(200, body, "application/octet-stream")
                elif url.path == "/echo":
                    self.reply(200, json.dumps({"method": self.command, "path": self.path,
                        "headers": [[k, v] for k, v in self.headers.items()], "bodyLength": len(body)}).encode())
                elif url.path == "/slow":
                    with lock:
                        stats["active"] += 1
                        stats["peak"] = max(stats["peak"], stats["active"])
                    time.sleep(int(query.get("ms", "1000")) / 1000)
                    with lock: stats["active"] -= 1
                    self.reply(200, b"slept", "text/plain")
                elif url.path == "/together":
                    with changed:
                        stats["active"] += 1
                        stats["peak"] = max(stats["peak"], stats["active"])
                        changed.notify_all()
                        together = changed.wait_for(lambda: stats["peak"] >= int(query.get("n", "2")), 120)
                        stats["active"] -= 1
                    self.reply(200 if together else 504, b"together" if together else b"alone", "text/plain")
                elif url.path == "/stream":
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for index in range(int(query.get("chunks", "3"))):
                        data = ("chunk %d\n" % index).encode()
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                        self.wfile.flush()
                        if index == 0 and query.get("held") == "1": released.wait(120)
                        time.sleep(int(query.get("ms", "0")) / 1000)
                    self.wfile.write(b"0\r\n\r\n")
                elif url.path == "/release":
                    released.set()
                    self.reply(200, b"released", "text/plain")
                elif url.path == "/missing":
                    self.reply(404, b'{"message":"no such thing"}')
                elif url.path == "/stats":
                    with lock: self.reply(200, json.dumps(stats).encode())
                else:
                    self.reply(404, b"not found", "text/plain")
            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any
        class TCPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            request_queue_size = 64
        class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
            daemon_threads = True
            request_queue_size = 64
        if sys.argv[1] == "unix":
            server = UnixServer(sys.argv[2], Handler)
            print(sys.argv[2], flush=True)
        else:
            server = TCPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()
        os._exit(0)
        """#
}

/// A command that runs for the length of a test. Foundation starts children with most signals
/// blocked, so `Process.terminate()` (SIGTERM) does not stop them; a small Python watchdog clears the
/// mask, runs the command, and kills it on SIGTERM (``stop()``) or once its stdin closes (when the test
/// process dies).
final class WatchedProcess {
    private let process = Process()
    private let input = Pipe()
    private var stopped = false

    /// Starts `arguments` (looked up on PATH) with its stdout on `output`.
    init(_ arguments: [String], output: Pipe) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.watchdog] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { stop() }

    func stop() {
        guard !stopped else { return }
        stopped = true
        try? input.fileHandleForWriting.close()
        // A signal, not only the end of file, which another test's child may hold back (see ChildRun).
        ChildRun.stop(process.processIdentifier, signal: SIGTERM)
    }

    private static let watchdog = #"""
        import os, signal, subprocess, sys
        child = None
        def end(*_):
            if child is not None:
                child.kill()
                child.wait()
            os._exit(0)
        signal.signal(signal.SIGTERM, end)
        signal.pthread_sigmask(signal.SIG_SETMASK, [signal.SIGTERM])
        child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        sys.stdin.read()
        end()
        """#
}

/// A private temporary folder removed on deinit.
final class TemporaryFolder {
    let path: String

    init() {
        var template = Array("/tmp/swerex-http-test-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Runs a tool (looked up on PATH) in `folder` to completion and returns its exit status.
@discardableResult
func runTool(_ arguments: [String], in folder: TemporaryFolder) async throws -> Int32 {
    try await ChildRun.run("/usr/bin/env", arguments, directory: folder.path).status
}

/// A port on 127.0.0.1 with nothing listening on it (see `LoopbackPorts`).
func unusedLocalPort() -> Int {
    LoopbackPorts.unused()
}

/// A listener on 127.0.0.1 that never accepts and whose queue is already full, so a new connection
/// attempt hangs until the client gives up, as with a host that drops packets.
final class FullListener {
    let port: Int
    private var descriptors: [Int32] = []

    init() {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        descriptors.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = bind(listener, $0, length)
                _ = listen(listener, 0)
                _ = getsockname(listener, $0, &length)
            }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            descriptors.append(filler)
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    _ = connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        usleep(100_000)
    }

    deinit { descriptors.forEach { close($0) } }
}
