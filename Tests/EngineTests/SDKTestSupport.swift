import ContainerEngine
import Foundation
import HTTPTransport
import TestSupport
import Testing

@testable import DockerAPI

/// What the sdk engine tests share: endpoints from the test environment, the labels that mark their
/// containers, and the sandbox's liveness check.
enum SDKTest {
    static let environment = TestEnvironment.shared

    /// The label every container and image of these tests carries.
    static let label = ["swerex-run.test": "sdk"]

    static let sandboxImage = environment.sandboxImage ?? "swerex-sandbox:test"
    static let busyboxImage = environment.busyboxImage ?? "swerex-busybox:test"

    static var localSocket: DockerEndpoint? {
        environment.dockerSocket.map { DockerEndpoint.unix(path: $0) }
    }

    /// The TLS daemon with the client certificates from `certificateFolder` (the right ones by default).
    static func tlsEndpoint(certificateFolder: String? = environment.tlsCertDir) -> DockerEndpoint? {
        guard let url = environment.tlsEndpoint, let (host, port) = hostAndPort(url, scheme: "tcp://"),
            let folder = certificateFolder
        else { return nil }
        let tls = TLSSettings(
            verify: true, caFile: folder + "/ca.pem", certFile: folder + "/cert.pem", keyFile: folder + "/key.pem")
        return .tcp(host: host, port: port, tls: tls)
    }

    /// The private sshd in front of the local dockerd, with `socketPath` as the remote socket.
    static func sshEndpoint(socketPath: String? = nil, port: Int? = nil) -> DockerEndpoint? {
        guard let url = environment.sshEndpoint, url.hasPrefix("ssh://") else { return nil }
        let rest = url.dropFirst("ssh://".count)
        let user = rest.contains("@") ? String(rest.prefix { $0 != "@" }) : nil
        let hostPart = user.map { rest.dropFirst($0.count + 1) } ?? rest
        guard let (host, sshPort) = hostAndPort(String(hostPart), scheme: "") else { return nil }
        return .ssh(user: user, host: host, port: port ?? sshPort, socketPath: socketPath)
    }

    private static func hostAndPort(_ url: String, scheme: String) -> (String, Int)? {
        guard url.hasPrefix(scheme) else { return nil }
        let address = url.dropFirst(scheme.count).prefix { $0 != "/" }
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...])
        else { return nil }
        return (String(address[..<colon]), port)
    }

    /// A container name no other test uses.
    static func uniqueName(_ purpose: String) -> String {
        "swerex-sdk-test-\(purpose)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A port on 127.0.0.1 that nothing listens on (racy, as any such choice is; see `LoopbackPorts`).
    static func closedPort() throws -> Int {
        try LoopbackListener.freePort()
    }

    /// Polls the sandbox's `GET /is_alive` with the token, at least once, until it answers 200 or `limit` (a
    /// hang guard: the sandbox's python can take long to start on a busy machine) passes.
    /// - Returns: the last status seen, 200 when alive.
    static func waitUntilAlive(host: String, port: Int, token: String, limit: Duration = .seconds(180)) async -> Int {
        let client = HTTPClient(target: .tcp(host: host, port: port, tls: nil), connectTimeout: .seconds(2))
        let deadline = ContinuousClock.now + limit
        while true {
            let request = HTTPRequest(path: "/is_alive", headers: [("X-API-Key", token)], timeout: .seconds(2))
            let status = (try? await client.send(request))?.status ?? 0
            if status == 200 || ContinuousClock.now >= deadline { return status }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Polls the container's stdout until it contains `text`, or `limit` (a hang guard) passes.
    static func waitForOutput(
        _ text: String, _ engine: any ContainerEngine, _ id: String, limit: Duration = .seconds(120)
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while try await !engine.logs(id, tail: nil).stdout.contains(text) {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(id) did not print \(text) within \(limit)")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls until the container has exited (or `limit` passes) and returns what inspect says then.
    static func waitUntilExited(
        _ engine: any ContainerEngine, _ id: String, limit: Duration = .seconds(120)
    ) async throws -> ContainerInfo? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let info = try await engine.inspectContainer(id)
            if info == nil || info?.status == .exited || info?.status == .dead { return info }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await engine.inspectContainer(id)
    }
}

/// The containers one test makes: each carries the shared test label and a label unique to the test,
/// so the test can remove all of them and then check that none is left, whatever runs beside it.
struct SDKTestRun: Sendable {
    let engine: DockerAPIEngine
    let runID = UUID().uuidString.lowercased()

    init(_ endpoint: DockerEndpoint) {
        self.engine = DockerAPIEngine(
            endpoint: endpoint, sshConfigFile: SDKTest.environment.sshConfig)
    }

    var labels: [String: String] {
        SDKTest.label.merging(["swerex-run.test-run": runID]) { first, _ in first }
    }

    /// A spec labelled for this run.
    func spec(
        _ purpose: String,
        image: String = SDKTest.busyboxImage,
        command: [String],
        publish: PortPublication? = nil,
        runArguments: [String] = [],
        autoRemove: Bool = false
    ) -> ContainerSpec {
        ContainerSpec(
            name: SDKTest.uniqueName(purpose), image: image, command: command, labels: labels,
            publish: publish, autoRemove: autoRemove, runArguments: runArguments)
    }

    /// Every container of this run, running or not.
    func containers() async throws -> [ContainerInfo] {
        try await engine.listContainers(labels: labels)
    }

    /// Runs `body`, then removes every container and image of this run, even when `body` throws, and
    /// checks that none is left.
    func withCleanup(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void)
        async throws
    {
        do {
            try await body()
        } catch {
            try? await cleanUp(sourceLocation: sourceLocation)
            throw error
        }
        try await cleanUp(sourceLocation: sourceLocation)
    }

    private func cleanUp(sourceLocation: SourceLocation) async throws {
        for container in try await containers() {
            try await engine.removeContainer(container.id)
        }
        for image in try await images() {
            try await engine.removeImage(image, force: true)
        }
        let left = try await containers()
        #expect(left.isEmpty, "containers left behind: \(left.map(\.name))", sourceLocation: sourceLocation)
        let leftImages = try await images()
        #expect(leftImages.isEmpty, "images left behind: \(leftImages)", sourceLocation: sourceLocation)
    }

    /// The ids of every image labelled for this run (the engine interface has no image list, so this asks
    /// the API directly).
    private func images() async throws -> [String] {
        let filters = JSONValue.object(["label": .strings(["swerex-run.test-run=\(runID)"])]).encodedString
        let response = try await engine.connection.send(
            "GET", "/images/json", query: [("filters", filters)], timeout: .seconds(120))
        let list = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]
        return (list ?? []).compactMap { $0["Id"] as? String }
    }
}
