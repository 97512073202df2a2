import Foundation
import Synchronization

/// Sends HTTP/1.1 requests to one target over libcurl, reusing connections between requests.
///
/// Each transfer runs on a thread of its own (libcurl blocks), never on Swift's cooperative pool.
/// Requests in flight at the same time each get their own connection; finished ones go back to a
/// small pool for the next request.
public final class HTTPClient: Sendable {
    /// Why no HTTP request can be made in this process (libcurl could not be loaded), or nil.
    public static var unavailable: String? {
        curlUnavailable.map { "cannot load libcurl (\($0)); install it (Debian: apt-get install libcurl4)" }
    }

    /// Where requests go.
    public let target: HTTPTarget
    /// The limit on opening a connection, separate from a request's own timeout.
    public let connectTimeout: Duration

    /// How many idle connections the client keeps; extras opened for concurrent requests are closed.
    static let maxIdleConnections = 8
    private let idle = Mutex<[CurlConnection]>([])
    /// How many connections the client has opened, for tests that check reuse.
    let connectionsOpened = Atomic<Int>(0)

    /// Prepares a client; nothing connects until the first request.
    public init(target: HTTPTarget, connectTimeout: Duration = .seconds(10)) {
        self.target = target
        self.connectTimeout = connectTimeout
    }

    /// Sends `request` and collects the whole response.
    /// - Returns: the response, whatever its status.
    /// - Throws: `HTTPError` when no response came: nothing to connect to, TLS failure, timeout,
    ///   cancellation of the calling task.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        try await transfer(request, onData: nil)
    }

    /// Sends `request` and streams the body of a successful (2xx) response to `onData` as it arrives,
    /// for pull and build progress and logs.
    ///
    /// `onData` runs on the transfer's thread, one chunk at a time, in order. The returned response
    /// has an empty body, unless its status is outside 200–299: the error body is then collected into
    /// it instead of being streamed, so the caller can read the engine's error message.
    /// - Throws: as ``send(_:)``.
    public func stream(
        _ request: HTTPRequest,
        onData: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(HTTPError) -> HTTPResponse {
        try await transfer(request, onData: onData)
    }

    private typealias Outcome = Result<CurlConnection.Completed, HTTPError>

    private func transfer(
        _ request: HTTPRequest,
        onData: (@Sendable ([UInt8]) -> Void)?
    ) async throws(HTTPError) -> HTTPResponse {
        let connection = try checkOut()
        let cancellation = TransferCancellation(connection)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                Thread.detachNewThread { [target, connectTimeout] in
                    let outcome = connection.perform(
                        request, on: target, connectTimeout: connectTimeout, onData: onData,
                        cancellation: cancellation)
                    continuation.resume(returning: outcome)
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        checkIn(connection)
        let completed = try result.get()
        connectionsOpened.add(completed.newConnections, ordering: .relaxed)
        return completed.response
    }

    private func checkOut() throws(HTTPError) -> CurlConnection {
        if let pooled = idle.withLock({ $0.popLast() }) {
            return pooled
        }
        if let reason = Self.unavailable { throw HTTPError(.protocolError, reason) }
        guard let fresh = CurlConnection() else {
            throw HTTPError(.protocolError, "libcurl could not make a handle for \(target)")
        }
        return fresh
    }

    private func checkIn(_ connection: CurlConnection) {
        idle.withLock { pool in
            if pool.count < Self.maxIdleConnections { pool.append(connection) }
        }
    }
}
