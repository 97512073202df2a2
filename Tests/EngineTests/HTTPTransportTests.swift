import Foundation
import Synchronization
import Testing

@testable import HTTPTransport

/// The transport against small real servers on 127.0.0.1 and on a unix socket.
/// No test here measures speed (that is for benchmarks): where a clock appears it only guards against a
/// hang, with a bound far above what a busy machine needs and far below what the fault would take.
@Suite("HTTP transport over TCP and unix sockets")
struct HTTPTransportTests {
    static let hangGuard = Duration.seconds(60)

    private struct Echo: Decodable {
        var method: String
        var path: String
        var headers: [[String]]
        var bodyLength: Int

        func header(_ name: String) -> String? {
            headers.first { $0[0].lowercased() == name.lowercased() }?[1]
        }
    }

    private func echo(_ response: HTTPResponse) throws -> Echo {
        try JSONDecoder().decode(Echo.self, from: Data(response.body))
    }

    @Test func aGetOverAUnixSocketCarriesHostLocalhost() async throws {
        let folder = TemporaryFolder()
        let server = try PythonHTTPServer(unixSocket: folder.file("api.sock"))
        let client = HTTPClient(target: server.target)
        let response = try await client.send(HTTPRequest(path: "/echo?x=1%202"))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        let echoed = try echo(response)
        #expect(echoed.method == "GET")
        #expect(echoed.path == "/echo?x=1%202")
        #expect(echoed.header("Host") == "localhost")
    }

    @Test func aPostOverTCPSendsItsBodyAtOnceWithoutExpectOrFormType() async throws {
        let server = try PythonHTTPServer()
        let client = HTTPClient(target: server.target)
        let body = Array(#"{"Image":"x"}"#.utf8)
        let response = try await client.send(
            HTTPRequest(method: "POST", path: "/echo", headers: [("X-Api-Key", "t0k")], body: body))
        let echoed = try echo(response)
        #expect(echoed.method == "POST")
        #expect(echoed.bodyLength == body.count)
        // Without this header libcurl sends the body at once, rather than waiting up to a second for a
        // "100 Continue".
        #expect(echoed.header("Expect") == nil)
        #expect(echoed.header("Content-Type") == nil)
        #expect(echoed.header("X-Api-Key") == "t0k")
        #expect(echoed.header("Host") == "127.0.0.1:\(server.port)")
    }

    @Test func aPostWithoutBodySendsContentLengthZero() async throws {
        let server = try PythonHTTPServer()
        let response = try await HTTPClient(target: server.target).send(
            HTTPRequest(method: "POST", path: "/echo"))
        #expect(try echo(response).header("Content-Length") == "0")
    }

    @Test(arguments: ["PUT", "DELETE", "PATCH", "HEAD"])
    func otherMethodsReachTheServerAsGiven(method: String) async throws {
        let server = try PythonHTTPServer()
        let response = try await HTTPClient(target: server.target).send(HTTPRequest(method: method, path: "/echo"))
        #expect(response.status == 200)
        if method == "HEAD" {
            #expect(response.body.isEmpty)
        } else {
            #expect(try echo(response).method == method)
        }
    }

    @Test func aLargeBodyComesBackByteForByte() async throws {
        let folder = TemporaryFolder()
        let server = try PythonHTTPServer(unixSocket: folder.file("api.sock"))
        let body = (0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let response = try await HTTPClient(target: server.target).send(
            HTTPRequest(method: "POST", path: "/mirror", body: body))
        #expect(response.body == body)
    }

    @Test func anErrorStatusIsAResponseNotAnError() async throws {
        let server = try PythonHTTPServer()
        let response = try await HTTPClient(target: server.target).send(HTTPRequest(path: "/missing"))
        #expect(response.status == 404)
        #expect(response.bodyText == #"{"message":"no such thing"}"#)
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let folder = TemporaryFolder()
        let server = try PythonHTTPServer(unixSocket: folder.file("api.sock"))
        let client = HTTPClient(target: server.target)
        for _ in 0..<50 {
            #expect(try await client.send(HTTPRequest(path: "/echo")).status == 200)
        }
        let stats = try await client.send(HTTPRequest(path: "/stats"))
        #expect(stats.bodyText.hasPrefix(#"{"connections": 1,"#))
        #expect(client.connectionsOpened.load(ordering: .relaxed) == 1)
    }

    @Test func concurrentRequestsEachGetAConnectionAndRunTogether() async throws {
        let server = try PythonHTTPServer()
        let client = HTTPClient(target: server.target)
        // The server holds each request until all 16 are in at once; requests sent one after another
        // would each be answered 504 after two minutes.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { try await client.send(HTTPRequest(path: "/together?n=16")).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        let stats = try JSONDecoder().decode(
            [String: Int].self, from: Data(try await client.send(HTTPRequest(path: "/stats")).body))
        #expect(stats["peak"] == 16)
        let opened = client.connectionsOpened.load(ordering: .relaxed)
        #expect(opened > 1 && opened <= 16)
        // Idle connections were kept up to the pool's size and are reused now.
        for _ in 0..<HTTPClient.maxIdleConnections {
            _ = try await client.send(HTTPRequest(path: "/echo"))
        }
        #expect(client.connectionsOpened.load(ordering: .relaxed) == opened)
    }

    @Test func aStreamDeliversChunksAsTheyArrive() async throws {
        let server = try PythonHTTPServer()
        let client = HTTPClient(target: server.target)
        let chunks = ChunkLog()
        // The server sends the first chunk, then holds the rest until /release (or two minutes): the
        // first chunk must reach us while the response is still open.
        let streaming = Task {
            try await client.stream(HTTPRequest(path: "/stream?chunks=4&held=1")) { chunk in
                chunks.append(chunk, at: .zero)
            }
        }
        let deadline = ContinuousClock.now + Self.hangGuard
        while chunks.text.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(chunks.text == "chunk 0\n", "before the server was released")
        #expect(try await HTTPClient(target: server.target).send(HTTPRequest(path: "/release")).status == 200)
        let response = try await streaming.value
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(chunks.text == "chunk 0\nchunk 1\nchunk 2\nchunk 3\n")
    }

    @Test func aStreamedErrorStatusKeepsItsBodyInTheResponse() async throws {
        let server = try PythonHTTPServer()
        let chunks = ChunkLog()
        let response = try await HTTPClient(target: server.target).stream(HTTPRequest(path: "/missing")) {
            chunks.append($0, at: .zero)
        }
        #expect(response.status == 404)
        #expect(response.bodyText == #"{"message":"no such thing"}"#)
        #expect(chunks.text.isEmpty)
    }

    @Test func aMissingSocketCannotConnectAndSaysWhy() async throws {
        let client = HTTPClient(target: .unixSocket(path: "/tmp/swerex-http-test-no-such.sock"))
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/_ping"))
        }
        #expect(error.code == .cannotConnect)
        #expect(
            error.message == "cannot connect to unix:///tmp/swerex-http-test-no-such.sock: No such file or directory")
    }

    @Test func aClosedPortCannotConnect() async throws {
        let port = unusedLocalPort()
        let client = HTTPClient(target: .tcp(host: "127.0.0.1", port: port, tls: nil))
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/"))
        }
        #expect(error.code == .cannotConnect)
        #expect(error.message == "cannot connect to http://127.0.0.1:\(port): Connection refused")
    }

    @Test func anIPv6LoopbackTargetIsBracketed() async throws {
        let port = unusedLocalPort()
        let client = HTTPClient(target: .tcp(host: "::1", port: port, tls: nil))
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/"))
        }
        #expect(error.code == .cannotConnect)
        #expect(error.message.hasPrefix("cannot connect to http://[::1]:\(port): "))
    }

    @Test func aSocketThatIsNotAServerRefusesTheConnection() async throws {
        let folder = TemporaryFolder()
        // A socket file with no listener behind it, as a daemon that died leaves behind: bound and
        // closed here, so no dying server process can still accept the connection.
        let path = folder.file("stale.sock")
        try #require(Self.leaveStaleSocket(at: path))
        let error = try await #require(throws: HTTPError.self) {
            try await HTTPClient(target: .unixSocket(path: path)).send(HTTPRequest(path: "/"))
        }
        #expect(error.code == .cannotConnect)
        #expect(error.message.hasSuffix(": Connection refused"))
    }

    /// Binds a unix socket at `path` and closes it without listening; false when that fails.
    static func leaveStaleSocket(at path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    @Test func aRequestSlowerThanItsTimeoutTimesOut() async throws {
        let server = try PythonHTTPServer()
        let client = HTTPClient(target: server.target)
        // The server would answer after two minutes: a timeout error proves the 300 ms limit ended it.
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/slow?ms=120000", timeout: .milliseconds(300)))
        }
        #expect(error.code == .timeout)
        #expect(error.message.hasPrefix("GET /slow?ms=120000 on http://127.0.0.1:\(server.port) timed out: "))
        // The client stays usable after a timeout.
        #expect(try await client.send(HTTPRequest(path: "/echo")).status == 200)
    }

    @Test func aConnectionThatIsNeverAcceptedTimesOutAfterTheConnectTimeout() async throws {
        let listener = FullListener()
        let client = HTTPClient(
            target: .tcp(host: "127.0.0.1", port: listener.port, tls: nil), connectTimeout: .milliseconds(300))
        let started = ContinuousClock.now
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/"))
        }
        #expect(error.code == .timeout)
        #expect(error.message.hasPrefix("connecting to http://127.0.0.1:\(listener.port) timed out: "))
        // The request has no timeout of its own, so without the connect timeout libcurl would wait its
        // default 300 s for the connection.
        #expect(ContinuousClock.now - started < Self.hangGuard)
    }

    @Test func cancellingTheTaskAbandonsTheTransferAtOnce() async throws {
        let server = try PythonHTTPServer()
        let client = HTTPClient(target: server.target)
        let task = Task {
            await outcome { () async throws(HTTPError) in
                try await client.send(HTTPRequest(path: "/slow?ms=120000"))
            }
        }
        // Cancelled while the server holds the request (for two minutes), or earlier on a busy machine:
        // either way the transfer must end as cancelled, long before the server would answer.
        let deadline = ContinuousClock.now + Self.hangGuard
        while try await activeRequests(on: server) == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.value
        #expect(ContinuousClock.now - cancelled < Self.hangGuard)
        guard case .failure(let error) = result else {
            Issue.record("the transfer finished despite cancellation")
            return
        }
        #expect(error.code == .cancelled)
        #expect(try await client.send(HTTPRequest(path: "/echo")).status == 200)
    }

    /// How many `/slow` requests the server is holding now.
    private func activeRequests(on server: PythonHTTPServer) async throws -> Int {
        let response = try await HTTPClient(target: server.target).send(HTTPRequest(path: "/stats"))
        return try JSONDecoder().decode([String: Int].self, from: Data(response.body))["active"] ?? 0
    }

    @Test func aTaskCancelledBeforeSendingNeverConnects() async throws {
        let server = try PythonHTTPServer()
        let client = HTTPClient(target: server.target)
        let task = Task {
            await outcome { () async throws(HTTPError) in
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.send(HTTPRequest(path: "/echo"))
            }
        }
        guard case .failure(let error) = await task.value else {
            Issue.record("a cancelled task sent its request")
            return
        }
        #expect(error.code == .cancelled)
        #expect(client.connectionsOpened.load(ordering: .relaxed) == 0)
    }

    @Test func connectErrnosMapToCannotConnectOrPermissionDenied() {
        // Root ignores socket file modes, so EACCES cannot be provoked in-process here; the mapping
        // from connect's errno is checked directly.
        let target = HTTPTarget.unixSocket(path: "/var/run/docker.sock")
        let denied = HTTPError.connectFailure(errno: EACCES, target: target, detail: "")
        #expect(denied.code == .permissionDenied)
        #expect(denied.message == "cannot connect to unix:///var/run/docker.sock: Permission denied")
        #expect(HTTPError.connectFailure(errno: EPERM, target: target, detail: "").code == .permissionDenied)
        #expect(HTTPError.connectFailure(errno: ENOENT, target: target, detail: "").code == .cannotConnect)
        #expect(HTTPError.connectFailure(errno: ECONNREFUSED, target: target, detail: "").code == .cannotConnect)
        let missing = HTTPTarget.unixSocket(path: "/tmp/swerex-http-test-absent.sock")
        let checked = HTTPError.connectFailure(errno: 0, target: missing, detail: "curl text")
        #expect(
            checked.message == "cannot connect to unix:///tmp/swerex-http-test-absent.sock: No such file or directory")
        let unresolved = HTTPError.connectFailure(
            errno: 0, target: .tcp(host: "nowhere.invalid", port: 1, tls: nil), detail: "Could not resolve host")
        #expect(unresolved.message == "cannot connect to http://nowhere.invalid:1: Could not resolve host")
    }

    @Test func durationsBecomeWholeMillisecondsOfAtLeastOne() {
        #expect(Duration.seconds(10).curlMilliseconds == 10_000)
        #expect(Duration.microseconds(1500).curlMilliseconds == 2)
        #expect(Duration.zero.curlMilliseconds == 1)
    }
}

/// The result of `body` with its typed error kept.
func outcome(
    _ body: () async throws(HTTPError) -> HTTPResponse
) async -> Result<HTTPResponse, HTTPError> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

/// Chunks received by a stream callback, from the transfer's thread.
final class ChunkLog: Sendable {
    private let state = Mutex<(bytes: [UInt8], first: Duration?)>(([], nil))

    func append(_ chunk: [UInt8], at time: Duration) {
        state.withLock {
            $0.bytes += chunk
            if $0.first == nil { $0.first = time }
        }
    }

    var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
    var firstArrival: Duration? { state.withLock { $0.first } }
}
