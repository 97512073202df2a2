internal import CCurl
import Synchronization

/// libcurl, loaded and set up once (Swift initialises globals exactly once, under a lock) before the
/// first handle is made; nil when that worked, else why not. Its set-up must not race
/// `curl_easy_init`, which would otherwise do it without a lock.
let curlUnavailable: String? = srr_curl_load().map { String(cString: $0) }

/// One reusable connection slot: a libcurl easy handle and a multi handle that drives it. The multi
/// handle keeps the open connection in its cache between transfers, so sequential requests reuse
/// it, and `curl_multi_wakeup` lets another thread interrupt a transfer at once.
///
/// Unchecked Sendable: the client's pool hands a slot to one transfer at a time, and other threads
/// only call ``wakeUp()``, which libcurl documents as callable from any thread.
final class CurlConnection: @unchecked Sendable {
    private let easy: UnsafeMutableRawPointer
    private let multi: UnsafeMutableRawPointer
    /// libcurl writes its detailed message for a failure here (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// A finished transfer and how many new connections it opened (0 when it reused one).
    struct Completed: Sendable {
        var response: HTTPResponse
        var newConnections: Int
    }

    /// Makes the handles; nil when libcurl cannot (out of memory, or its global set-up failed).
    init?() {
        guard curlUnavailable == nil, let easy = srr_curl_easy_init() else { return nil }
        guard let multi = srr_curl_multi_init() else {
            srr_curl_easy_cleanup(easy)
            return nil
        }
        self.easy = easy
        self.multi = multi
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        srr_curl_multi_cleanup(multi)
        srr_curl_easy_cleanup(easy)
        errorBuffer.deallocate()
    }

    /// Interrupts a transfer waiting in ``perform(_:on:connectTimeout:onData:cancellation:)``, which
    /// then checks whether it was cancelled.
    func wakeUp() {
        srr_curl_multi_wakeup(multi)
    }

    /// Runs one request to completion on the calling thread, which it blocks.
    func perform(
        _ request: HTTPRequest,
        on target: HTTPTarget,
        connectTimeout: Duration,
        onData: (@Sendable ([UInt8]) -> Void)?,
        cancellation: TransferCancellation
    ) -> Result<Completed, HTTPError> {
        srr_curl_easy_reset(easy)
        errorBuffer[0] = 0
        let transfer = CurlTransfer(onData: onData)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { srr_curl_slist_free_all(headerList) }
        let body = request.body ?? []
        // libcurl reads the body straight from this buffer, so the transfer runs inside its scope.
        return body.withUnsafeBytes { bodyBytes in
            withExtendedLifetime(transfer) {
                do throws(HTTPError) {
                    try configure(for: target, connectTimeout: connectTimeout)
                    let sendsBody = try configure(request, on: target, body: bodyBytes)
                    headerList = try makeHeaderList(for: request, sendsBody: sendsBody)
                    try check(srr_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
                    let userData = Unmanaged.passUnretained(transfer).toOpaque()
                    try set(CURLOPT_WRITEDATA, pointer: userData)
                    try set(CURLOPT_HEADERDATA, pointer: userData)
                    try check(srr_curl_setopt_write_function(easy, curlWriteBody), "CURLOPT_WRITEFUNCTION")
                    try check(srr_curl_setopt_header_function(easy, curlWriteHeader), "CURLOPT_HEADERFUNCTION")
                    let code = try drive(request, on: target, cancellation: cancellation)
                    return .success(try finish(code, transfer: transfer, request: request, target: target))
                } catch {
                    return .failure(error)
                }
            }
        }
    }

    /// Options that depend only on the target.
    private func configure(for target: HTTPTarget, connectTimeout: Duration) throws(HTTPError) {
        try set(CURLOPT_NOSIGNAL, 1)
        // An empty proxy turns off the proxy environment variables: requests go only to the target.
        try set(CURLOPT_PROXY, "")
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        try set(CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.curlMilliseconds)
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        try check(srr_curl_setopt_sockopt_function(easy, curlMarkCloseOnExec), "CURLOPT_SOCKOPTFUNCTION")
        switch target {
        case .unixSocket(let path):
            try set(CURLOPT_UNIX_SOCKET_PATH, path)
        case .tcp(_, _, let tls?):
            try set(CURLOPT_SSL_VERIFYPEER, tls.verify ? 1 : 0)
            try set(CURLOPT_SSL_VERIFYHOST, tls.verify ? 2 : 0)
            if let caFile = tls.caFile { try set(CURLOPT_CAINFO, caFile) }
            if let certFile = tls.certFile { try set(CURLOPT_SSLCERT, certFile) }
            if let keyFile = tls.keyFile { try set(CURLOPT_SSLKEY, keyFile) }
        case .tcp(_, _, nil):
            break
        }
    }

    /// Options that depend on the request, headers aside; returns whether a body goes out.
    private func configure(
        _ request: HTTPRequest,
        on target: HTTPTarget,
        body: UnsafeRawBufferPointer
    ) throws(HTTPError) -> Bool {
        let path = request.path.hasPrefix("/") ? request.path : "/" + request.path
        try set(CURLOPT_URL, target.baseURL + path)
        if let timeout = request.timeout {
            try set(CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds)
        }
        let method = request.method.uppercased()
        let sendsBody = request.body != nil || ["POST", "PUT", "PATCH"].contains(method)
        if method == "HEAD" {
            try set(CURLOPT_NOBODY, 1)
        } else if sendsBody {
            try set(CURLOPT_POST, 1)
            try set(CURLOPT_POSTFIELDSIZE_LARGE, size: body.count)
            if let start = body.baseAddress, !body.isEmpty {
                try set(CURLOPT_POSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: start))
            } else {
                // Without any post fields libcurl would read the body from stdin.
                try set(CURLOPT_COPYPOSTFIELDS, "")
            }
        } else {
            try set(CURLOPT_HTTPGET, 1)
        }
        if !["GET", "HEAD", "POST"].contains(method) {
            try set(CURLOPT_CUSTOMREQUEST, method)
        }
        return sendsBody
    }

    /// The request's header fields, plus an empty `Expect:` so a body goes out at once instead of
    /// after libcurl's one-second wait for `100 Continue`.
    private func makeHeaderList(
        for request: HTTPRequest,
        sendsBody: Bool
    ) throws(HTTPError) -> UnsafeMutablePointer<curl_slist>? {
        var lines = ["Expect:"]
        let names = Set(request.headers.map { $0.0.lowercased() })
        if sendsBody && !names.contains("content-type") {
            // libcurl would otherwise label every body as a URL-encoded form.
            lines.append("Content-Type:")
        }
        for (name, value) in request.headers {
            // "Name;" is libcurl's spelling for a field sent with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let longer = srr_curl_slist_append(list, line) else {
                srr_curl_slist_free_all(list)
                throw HTTPError(.protocolError, "libcurl could not allocate the header list")
            }
            list = longer
        }
        return list
    }

    /// Runs the transfer until it ends or is cancelled; returns libcurl's result for it.
    private func drive(
        _ request: HTTPRequest,
        on target: HTTPTarget,
        cancellation: TransferCancellation
    ) throws(HTTPError) -> CURLcode {
        try check(srr_curl_multi_add_handle(multi, easy), "curl_multi_add_handle")
        defer { srr_curl_multi_remove_handle(multi, easy) }
        while true {
            if cancellation.isCancelled {
                throw HTTPError(.cancelled, "\(request.method) \(request.path) on \(target) was cancelled")
            }
            var running: Int32 = 0
            try check(srr_curl_multi_perform(multi, &running), "curl_multi_perform")
            if running == 0 { break }
            // libcurl shortens the wait to its own next timer; a wake-up or socket activity ends it early.
            try check(srr_curl_multi_poll(multi, 1000), "curl_multi_poll")
        }
        var queued: Int32 = 0
        while let message = srr_curl_multi_info_read(multi, &queued) {
            if message.pointee.msg == CURLMSG_DONE && message.pointee.easy_handle == easy {
                return message.pointee.data.result
            }
        }
        throw HTTPError(.protocolError, "libcurl ended \(request.method) \(request.path) on \(target) without a result")
    }

    /// Turns libcurl's result into a response or an error naming the request and target.
    private func finish(
        _ code: CURLcode,
        transfer: CurlTransfer,
        request: HTTPRequest,
        target: HTTPTarget
    ) throws(HTTPError) -> Completed {
        guard code == CURLE_OK else {
            var osErrno = 0
            _ = srr_curl_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno)
            let buffered = String(cString: errorBuffer)
            let detail = buffered.isEmpty ? String(cString: srr_curl_easy_strerror(code)) : buffered
            var connectTime: curl_off_t = 0
            _ = srr_curl_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connectTime)
            throw HTTPError.transferFailure(
                code, detail: detail, osErrno: Int32(osErrno), connected: connectTime > 0, request: request,
                target: target)
        }
        var status = 0
        var connects = 0
        _ = srr_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        _ = srr_curl_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        let response = HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
        return Completed(response: response, newConnections: connects)
    }

    // MARK: - Typed option setters

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
        try check(srr_curl_setopt_long(easy, option, value), option)
    }

    private func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
        // libcurl copies string options, so the C string need only live for the call.
        try check(value.withCString { srr_curl_setopt_string(easy, option, $0) }, option)
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(HTTPError) {
        try check(srr_curl_setopt_pointer(easy, option, pointer), option)
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutablePointer<CChar>) throws(HTTPError) {
        try set(option, pointer: UnsafeMutableRawPointer(pointer))
    }

    private func set(_ option: CURLoption, size: Int) throws(HTTPError) {
        try check(srr_curl_setopt_off_t(easy, option, curl_off_t(size)), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPError) {
        try check(code, "option \(option.rawValue)")
    }

    private func check(_ code: CURLcode, _ call: String) throws(HTTPError) {
        guard code != CURLE_OK else { return }
        throw HTTPError(.protocolError, "libcurl rejected \(call): \(String(cString: srr_curl_easy_strerror(code)))")
    }

    private func check(_ code: CURLMcode, _ call: String) throws(HTTPError) {
        guard code != CURLM_OK else { return }
        throw HTTPError(.protocolError, "\(call) failed: \(String(cString: srr_curl_multi_strerror(code)))")
    }
}

/// Whether a transfer was cancelled, shared between the cancelling task and the transfer's thread.
final class TransferCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)
    /// Kept alive so a late cancel never wakes a freed handle.
    private let connection: CurlConnection

    init(_ connection: CurlConnection) {
        self.connection = connection
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() {
        cancelled.store(true, ordering: .releasing)
        connection.wakeUp()
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up and at least 1, since 0 means "no limit" to libcurl.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(1, milliseconds))
    }
}
