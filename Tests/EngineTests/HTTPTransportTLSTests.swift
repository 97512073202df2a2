import Foundation
import HTTPTransport
import TestSupport
import Testing

/// TLS against `openssl s_server` with a throwaway CA made here, and against the test TLS dockerd.
@Suite("HTTP transport over TLS", .serialized)
final class HTTPTransportTLSTests {
    private let folder = TemporaryFolder()

    /// Makes a CA called `name` (`name.pem`, `name.key`) in the folder.
    private func makeCA(_ name: String) async throws {
        let status = try await runTool(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(name).key", "-out", "\(name).pem", "-subj", "/CN=\(name)", "-days", "1",
            ], in: folder)
        try #require(status == 0, "openssl could not make the CA \(name)")
    }

    /// Makes a key and certificate called `name`, signed by `ca`, valid for 127.0.0.1.
    private func makeCertificate(_ name: String, signedBy ca: String) async throws {
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n".write(
            toFile: folder.file("\(name).ext"), atomically: true, encoding: .utf8)
        let request = try await runTool(
            [
                "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)",
            ], in: folder)
        let signing = try await runTool(
            [
                "openssl", "x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key",
                "-CAcreateserial", "-days", "1", "-extfile", "\(name).ext", "-out", "\(name).pem",
            ], in: folder)
        try #require(request == 0 && signing == 0, "openssl could not make the certificate \(name)")
    }

    /// Starts `openssl s_server -www` with the `server` certificate; `clientCA` makes it demand a
    /// client certificate signed by that CA.
    private func startServer(clientCA: String? = nil) async throws -> OpenSSLServer {
        try await makeCA("ca")
        try await makeCertificate("server", signedBy: "ca")
        return try OpenSSLServer(folder: folder, clientCA: clientCA)
    }

    private func tls(_ verify: Bool = true, ca: String? = "ca", client: String? = nil) -> HTTPTLS {
        HTTPTLS(
            verify: verify, caFile: ca.map { folder.file("\($0).pem") },
            certFile: client.map { folder.file("\($0).pem") }, keyFile: client.map { folder.file("\($0).key") })
    }

    @Test func aServerSignedByTheGivenCAIsTrusted() async throws {
        let server = try await startServer()
        let client = HTTPClient(target: .tcp(host: "127.0.0.1", port: server.port, tls: tls()))
        let response = try await client.send(HTTPRequest(path: "/"))
        #expect(response.status == 200)
        #expect(response.bodyText.contains("s_server"))
    }

    @Test func aServerSignedByAnotherCAIsATLSFailure() async throws {
        let server = try await startServer()
        try await makeCA("other")
        let client = HTTPClient(target: .tcp(host: "127.0.0.1", port: server.port, tls: tls(ca: "other")))
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/"))
        }
        #expect(error.code == .tlsFailure)
        #expect(error.message.hasPrefix("TLS with https://127.0.0.1:\(server.port) failed: SSL certificate problem"))
    }

    @Test func verifyOffAcceptsAnUntrustedServer() async throws {
        let server = try await startServer()
        try await makeCA("other")
        let client = HTTPClient(target: .tcp(host: "127.0.0.1", port: server.port, tls: tls(false, ca: "other")))
        #expect(try await client.send(HTTPRequest(path: "/")).status == 200)
    }

    @Test func aClientCertificateIsPresentedWhenTheServerDemandsOne() async throws {
        let server = try await startServer(clientCA: "ca")
        try await makeCertificate("client", signedBy: "ca")
        let client = HTTPClient(target: .tcp(host: "127.0.0.1", port: server.port, tls: tls(client: "client")))
        #expect(try await client.send(HTTPRequest(path: "/")).status == 200)
    }

    @Test func noClientCertificateWhereOneIsDemandedIsATLSFailure() async throws {
        let server = try await startServer(clientCA: "ca")
        let client = HTTPClient(target: .tcp(host: "127.0.0.1", port: server.port, tls: tls()))
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/"))
        }
        #expect(error.code == .tlsFailure, "\(error)")
    }

    @Test func aPlainHTTPServerIsATLSFailure() async throws {
        let server = try PythonHTTPServer()
        let client = HTTPClient(target: .tcp(host: "127.0.0.1", port: server.port, tls: HTTPTLS()))
        let error = try await #require(throws: HTTPError.self) {
            try await client.send(HTTPRequest(path: "/"))
        }
        #expect(error.code == .tlsFailure)
    }

    @Test func theTestTLSDockerdAnswersPingWithClientCertificates() async throws {
        let environment = TestEnvironment.shared
        if let missing = environment.missing("SWEREX_TEST_TLS_ENDPOINT", "SWEREX_TEST_TLS_CERT_DIR") {
            try Test.cancel("skipped: \(missing)")
        }
        let (host, port) = try #require(hostAndPort(environment.tlsEndpoint!))
        let certs = environment.tlsCertDir!
        let settings = HTTPTLS(
            caFile: certs + "/ca.pem", certFile: certs + "/cert.pem", keyFile: certs + "/key.pem")
        let response = try await HTTPClient(target: .tcp(host: host, port: port, tls: settings))
            .send(HTTPRequest(path: "/_ping"))
        #expect(response.status == 200)
        #expect(response.bodyText == "OK")
    }

    @Test func theTestTLSDockerdRejectsTheWrongCA() async throws {
        let environment = TestEnvironment.shared
        if let missing = environment.missing("SWEREX_TEST_TLS_ENDPOINT", "SWEREX_TEST_TLS_WRONG_CA_DIR") {
            try Test.cancel("skipped: \(missing)")
        }
        let (host, port) = try #require(hostAndPort(environment.tlsEndpoint!))
        let certs = environment.tlsWrongCACertDir!
        let settings = HTTPTLS(
            caFile: certs + "/ca.pem", certFile: certs + "/cert.pem", keyFile: certs + "/key.pem")
        let error = try await #require(throws: HTTPError.self) {
            try await HTTPClient(target: .tcp(host: host, port: port, tls: settings)).send(HTTPRequest(path: "/_ping"))
        }
        #expect(error.code == .tlsFailure)
    }

    /// `tcp://HOST:PORT` split in two.
    private func hostAndPort(_ endpoint: String) -> (String, Int)? {
        guard let url = URL(string: endpoint), let host = url.host, let port = url.port else { return nil }
        return (host, port)
    }
}

/// `openssl s_server -www` on a free port of 127.0.0.1 for the length of a test.
final class OpenSSLServer {
    let port: Int
    private let process: WatchedProcess

    init(folder: TemporaryFolder, clientCA: String?) throws {
        var arguments = [
            "openssl", "s_server", "-www", "-accept", "127.0.0.1:0",
            "-cert", folder.file("server.pem"), "-key", folder.file("server.key"),
        ]
        if let clientCA { arguments += ["-Verify", "1", "-CAfile", folder.file("\(clientCA).pem")] }
        let output = Pipe()
        process = try WatchedProcess(arguments, output: output)
        // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens; an empty line means it ended.
        var line = "-"
        while !line.isEmpty && !line.hasPrefix("ACCEPT") {
            line = PythonHTTPServer.readLine(output.fileHandleForReading)
        }
        port = Int(line.split(separator: ":").last ?? "") ?? 0
    }
}
