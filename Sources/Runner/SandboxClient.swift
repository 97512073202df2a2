import Foundation
import HTTPTransport

/// Talks to one sandbox's `swerex-remote` server: liveness and `/execute`, every request with the
/// token in `X-API-Key`. The token never leaves this type except in those requests.
public struct SandboxClient: Sendable {
    public let url: LivenessURL
    private let token: String
    private let client: HTTPClient

    public init(url: LivenessURL, token: String) {
        self.url = url
        self.token = token
        let tls = url.usesTLS ? HTTPTLS(verify: true) : nil
        self.client = HTTPClient(target: .tcp(host: url.host, port: url.port, tls: tls), connectTimeout: .seconds(5))
    }

    /// What one `GET /is_alive` found.
    public enum Probe: Sendable, Hashable {
        case alive
        /// The server answered 401 or 403: it runs with another token.
        case rejected(status: Int)
        /// Not yet: no connection, a timeout, or an answer that is not "alive". The text says which.
        case notYet(String)
    }

    /// One liveness probe, limited to `timeout`.
    public func probe(timeout: Duration) async -> Probe {
        let request = HTTPRequest(path: "/is_alive", headers: [("X-API-Key", token)], timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            return .notYet(error.message)
        }
        if response.status == 401 || response.status == 403 { return .rejected(status: response.status) }
        guard response.status == 200 else { return .notYet("HTTP \(response.status) from \(url)/is_alive") }
        let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard json?["is_alive"] as? Bool == true else {
            let message = json?["message"] as? String ?? ""
            return .notYet("server says not alive yet\(message.isEmpty ? "" : ": " + message)")
        }
        return .alive
    }

    /// What `/execute` returned.
    public struct Execution: Sendable, Hashable {
        public var stdout: String
        public var stderr: String
        public var exitCode: Int
    }

    /// Runs `command` through the sandbox's shell and waits for it.
    /// - Throws: `RunnerError` when the sandbox cannot be reached or answers with an error.
    public func execute(_ command: String, timeout: Duration? = nil) async throws(RunnerError) -> Execution {
        let payload: [String: Any] = ["command": command, "shell": true, "check": false]
        let body = (try? JSONSerialization.data(withJSONObject: payload)).map { Array($0) } ?? []
        let request = HTTPRequest(
            method: "POST", path: "/execute",
            headers: [("X-API-Key", token), ("Content-Type", "application/json")],
            body: body, timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            throw RunnerError("cannot reach the sandbox at \(url): \(error.message)")
        }
        let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard response.status == 200, let json else {
            throw RunnerError(
                "the sandbox at \(url) answered HTTP \(response.status): \(Self.errorText(json, response))")
        }
        return Execution(
            stdout: json["stdout"] as? String ?? "",
            stderr: json["stderr"] as? String ?? "",
            exitCode: (json["exit_code"] as? Int) ?? 1
        )
    }

    /// SWE-ReX's own error shape (`swerexception.message`) when present, else the body.
    private static func errorText(_ json: [String: Any]?, _ response: HTTPResponse) -> String {
        if let exception = json?["swerexception"] as? [String: Any], let message = exception["message"] as? String {
            return message
        }
        if let detail = json?["detail"] { return "\(detail)" }
        return String(decoding: response.body.prefix(500), as: UTF8.self)
    }
}
