import Foundation
import TestSupport
import Testing

@testable import HTTPTransport

/// The transport against the real dockerd, directly and through an ssh tunnel.
@Suite("HTTP transport to the real dockerd", .serialized)
struct HTTPTransportDockerTests {
    private let environment = TestEnvironment.shared

    private func dockerSocket() throws -> String {
        if let missing = environment.missing("SWEREX_TEST_DOCKER_SOCKET") { try Test.cancel("skipped: \(missing)") }
        let socket = environment.dockerSocket!
        guard FileManager.default.fileExists(atPath: socket) else {
            try Test.cancel("skipped: no dockerd socket at \(socket): run scripts/testenv/up")
        }
        return socket
    }

    /// The user, host and port of `SWEREX_TEST_SSH_ENDPOINT`, and the ssh config.
    private func sshEndpoint() throws -> (user: String?, host: String, port: Int?, config: String) {
        if let missing = environment.missing("SWEREX_TEST_SSH_ENDPOINT", "SWEREX_TEST_SSH_CONFIG") {
            try Test.cancel("skipped: \(missing)")
        }
        let url = try #require(URL(string: environment.sshEndpoint!))
        return (url.user, try #require(url.host), url.port, environment.sshConfig!)
    }

    @Test func dockerdAnswersPingOverItsSocket() async throws {
        let client = HTTPClient(target: .unixSocket(path: try dockerSocket()))
        let response = try await client.send(HTTPRequest(path: "/_ping"))
        #expect(response.status == 200)
        #expect(response.bodyText == "OK")
        #expect(response.header("api-version") != nil)
    }

    @Test func aThousandSequentialPingsReuseOneConnection() async throws {
        let client = HTTPClient(target: .unixSocket(path: try dockerSocket()))
        let started = ContinuousClock.now
        for _ in 0..<1000 {
            let response = try await client.send(HTTPRequest(path: "/_ping"))
            #expect(response.status == 200)
        }
        let elapsed = ContinuousClock.now - started
        let opened = client.connectionsOpened.load(ordering: .relaxed)
        print("1000 sequential GET /_ping to dockerd: \(elapsed), \(opened) connection(s) opened")
        #expect(opened == 1)
    }

    @Test func aTunnelReachesDockerdOverSSHAndCleansUp() async throws {
        _ = try dockerSocket()
        let ssh = try sshEndpoint()
        let tunnel = try await SSHTunnel.open(
            user: ssh.user, host: ssh.host, port: ssh.port, remoteSocket: "/var/run/docker.sock",
            configFile: ssh.config)
        let socket = tunnel.localSocketPath
        let client = HTTPClient(target: .unixSocket(path: socket))
        for _ in 0..<3 {
            #expect(try await client.send(HTTPRequest(path: "/_ping")).bodyText == "OK")
        }
        #expect(client.connectionsOpened.load(ordering: .relaxed) == 1)
        tunnel.close()
        tunnel.close()
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(!FileManager.default.fileExists(atPath: (socket as NSString).deletingLastPathComponent))
        let error = try await #require(throws: HTTPError.self) {
            try await HTTPClient(target: .unixSocket(path: socket)).send(HTTPRequest(path: "/_ping"))
        }
        #expect(error.code == .cannotConnect)
    }

    @Test func aTunnelThatGoesAwayRemovesItsSocket() async throws {
        _ = try dockerSocket()
        let ssh = try sshEndpoint()
        var tunnel: SSHTunnel? = try await SSHTunnel.open(
            user: ssh.user, host: ssh.host, port: ssh.port, remoteSocket: "/var/run/docker.sock",
            configFile: ssh.config)
        let socket = tunnel!.localSocketPath
        #expect(FileManager.default.fileExists(atPath: socket))
        tunnel = nil
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func aRemoteSocketThatDoesNotExistFailsTheRequestNotTheTunnel() async throws {
        let ssh = try sshEndpoint()
        let tunnel = try await SSHTunnel.open(
            user: ssh.user, host: ssh.host, port: ssh.port, remoteSocket: "/tmp/swerex-http-test-absent.sock",
            configFile: ssh.config)
        defer { tunnel.close() }
        // ssh opens the remote socket only when a connection arrives, and then closes it unanswered.
        let error = try await #require(throws: HTTPError.self) {
            try await HTTPClient(target: .unixSocket(path: tunnel.localSocketPath)).send(HTTPRequest(path: "/_ping"))
        }
        #expect(error.code == .protocolError)
    }

    @Test func sshThatCannotConnectFailsWithItsOwnMessage() async throws {
        let port = unusedLocalPort()
        let error = try await #require(throws: HTTPError.self) {
            try await SSHTunnel.open(
                user: "root", host: "127.0.0.1", port: port, remoteSocket: "/var/run/docker.sock",
                configFile: "/dev/null")
        }
        #expect(error.code == .cannotConnect)
        #expect(error.message.hasPrefix("ssh tunnel to ssh://root@127.0.0.1:\(port)/var/run/docker.sock failed"))
        #expect(error.message.contains("Connection refused"))
    }
}
