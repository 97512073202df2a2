internal import CCurl
import Glibc

extension HTTPError {
    /// The libcurl results that mean the TLS layer failed.
    private static let tlsCodes: Set<UInt32> = [
        CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
        CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
        CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    /// The error for a transfer libcurl ended with `code`.
    /// - Parameters:
    ///   - detail: libcurl's own message (its error buffer, else its text for `code`).
    ///   - osErrno: the errno of the failed system call (`CURLINFO_OS_ERRNO`), 0 when none.
    ///   - connected: whether a connection had been made, to tell a connect timeout from a slow answer.
    static func transferFailure(
        _ code: CURLcode,
        detail: String,
        osErrno: Int32,
        connected: Bool,
        request: HTTPRequest,
        target: HTTPTarget
    ) -> HTTPError {
        let what = "\(request.method) \(request.path) on \(target)"
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
            return connectFailure(errno: osErrno, target: target, detail: detail)
        case CURLE_OPERATION_TIMEDOUT where !connected:
            return HTTPError(.timeout, "connecting to \(target) timed out: \(detail)")
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPError(.timeout, "\(what) timed out: \(detail)")
        case CURLE_ABORTED_BY_CALLBACK:
            return HTTPError(.cancelled, "\(what) was cancelled")
        case _ where tlsCodes.contains(code.rawValue):
            return HTTPError(.tlsFailure, "TLS with \(target) failed: \(detail)")
        case CURLE_RECV_ERROR where detail.contains(" alert "), CURLE_SEND_ERROR where detail.contains(" alert "):
            // With TLS 1.3 a server that rejects the client certificate says so by an alert that
            // arrives after the handshake, on the first read.
            return HTTPError(.tlsFailure, "TLS with \(target) failed: \(detail)")
        default:
            return HTTPError(.protocolError, "\(what) failed: \(detail)")
        }
    }

    /// The error for a connection that could not be opened: `EACCES` (or `EPERM`) means the socket
    /// is there but closed to this user; anything else means nothing answered.
    /// - Parameters:
    ///   - errno: the errno of the failed `connect`, or 0 when libcurl did not record one; for a unix
    ///     socket the socket file's own access is then checked with `access(2)`.
    ///   - detail: libcurl's message, used when there is no errno.
    static func connectFailure(errno: Int32, target: HTTPTarget, detail: String) -> HTTPError {
        var errno = errno
        if errno == 0, case .unixSocket(let path) = target, access(path, R_OK | W_OK) != 0 {
            errno = Glibc.errno
        }
        let reason = errno == 0 ? detail : String(cString: strerror(errno))
        let code: Code = errno == EACCES || errno == EPERM ? .permissionDenied : .cannotConnect
        return HTTPError(code, "cannot connect to \(target): \(reason)")
    }
}
