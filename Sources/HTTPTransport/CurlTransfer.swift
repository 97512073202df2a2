internal import CCurl
import Glibc

/// What one transfer has received so far. libcurl's callbacks reach it through their user-data
/// pointer; only the thread running the transfer touches it.
final class CurlTransfer {
    private(set) var headers: [(String, String)] = []
    private(set) var body: [UInt8] = []
    /// The status from the latest status line, known once its header block has ended.
    private(set) var status = 0
    private var headersComplete = false
    private let onData: (@Sendable ([UInt8]) -> Void)?

    /// - Parameter onData: receives each body chunk of a successful response; nil collects the body.
    init(onData: (@Sendable ([UInt8]) -> Void)?) {
        self.onData = onData
    }

    /// Takes one header line as libcurl delivers it, CRLF included.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Substring(String(decoding: bytes[..<end], as: UTF8.self))
        if line.hasPrefix("HTTP/") {
            // A new status line starts a new response (after a 1xx); drop the earlier block.
            headers = []
            headersComplete = false
            let fields = line.split(separator: " ", maxSplits: 2)
            status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
        } else if line.isEmpty {
            headersComplete = true
        } else if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
            // An obsolete folded continuation line belongs to the previous field.
            headers[headers.count - 1].1 += " " + line.trimmingSpaces()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.append((name, value))
        }
    }

    /// Takes one body chunk: hands it to `onData` for a 2xx response, else keeps it as the error body.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        if let onData, (200..<300).contains(status) {
            onData(Array(bytes))
        } else {
            body.append(contentsOf: bytes)
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// libcurl's body callback; `userData` is an unretained ``CurlTransfer``.
let curlWriteBody: curl_write_callback = { data, size, count, userData in
    let length = size * count
    guard let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// libcurl's header callback; `userData` is an unretained ``CurlTransfer``.
let curlWriteHeader: curl_write_callback = { data, size, count, userData in
    let length = size * count
    guard let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// libcurl's socket-options callback: marks each new socket close-on-exec, so child processes
/// (ssh, docker) do not inherit connections and hold them open.
let curlMarkCloseOnExec: curl_sockopt_callback = { _, descriptor, _ in
    _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
    return Int32(CURL_SOCKOPT_OK)
}
