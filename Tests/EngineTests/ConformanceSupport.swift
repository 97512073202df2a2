import ContainerEngine
import Foundation
import HTTPTransport
import TestSupport
import Testing

/// What every conformance case labels its containers and images with.
enum ConformanceRun {
    /// Marks everything the suite creates, whichever run.
    static let suiteLabel = "swerex-run.test"
    static let suiteValue = "conformance"
    /// This run's id, so a check at the end finds exactly what this run left.
    static let runLabel = "swerex-run.test.run"
    static let id = String(UUID().uuidString.prefix(8)).lowercased()
    /// The case (test and fixture) that created a container.
    static let caseLabel = "swerex-run.test.case"
}

/// One conformance case on one engine: names, labels and clean-up for what it creates.
struct ConformanceContext: Sendable {
    let fixture: EngineFixture
    let engine: any ContainerEngine
    let caseName: String
    let sandboxImage: String
    let busyboxImage: String

    /// The context for `caseName` on `fixture`, or nil after printing why the case cannot run there.
    static func make(_ fixture: EngineFixture, _ caseName: String) async -> ConformanceContext? {
        let environment = TestEnvironment.shared
        switch await FixtureRegistry.shared.setup(for: fixture) {
        case .unavailable(let reason):
            print("SKIP conformance[\(fixture.name)] \(caseName): \(reason)")
            return nil
        case .broken(let error):
            Issue.record("conformance[\(fixture.name)] cannot make its engine: \(error)")
            return nil
        case .ready(let engine):
            if let missing = environment.missing("SWEREX_TEST_SANDBOX_IMAGE", "SWEREX_TEST_BUSYBOX_IMAGE") {
                print("SKIP conformance[\(fixture.name)] \(caseName): \(missing)")
                return nil
            }
            let local = { (name: String) in
                fixture.qualifiesLocalImages && !name.hasPrefix("localhost/") ? "localhost/\(name)" : name
            }
            return ConformanceContext(
                fixture: fixture,
                engine: engine,
                caseName: caseName,
                sandboxImage: local(environment.sandboxImage!),
                busyboxImage: local(environment.busyboxImage!)
            )
        }
    }

    /// This case's id, as a label value.
    var caseID: String { "\(caseName)-\(fixture.slug)" }

    /// The labels this case puts on everything, plus `extra`.
    func labels(_ extra: [String: String] = [:]) -> [String: String] {
        [
            ConformanceRun.suiteLabel: ConformanceRun.suiteValue,
            ConformanceRun.runLabel: ConformanceRun.id,
            ConformanceRun.caseLabel: caseID,
        ].merging(extra) { _, new in new }
    }

    /// A container name unique to this run, case and `suffix`.
    func containerName(_ suffix: String) -> String {
        "swerex-conf-\(ConformanceRun.id)-\(caseID)-\(suffix)"
    }

    /// A spec for this case: its name and labels, loopback publication when `publish` is given.
    func spec(
        _ suffix: String,
        image: String,
        command: [String],
        labels extra: [String: String] = [:],
        publish: PortPublication? = nil
    ) -> ContainerSpec {
        ContainerSpec(
            name: containerName(suffix),
            image: image,
            command: command,
            labels: labels(extra),
            publish: publish
        )
    }

    /// Runs `body`, then removes every container this case created, even when `body` throws.
    func withCleanup(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
        let left = try await engine.listContainers(labels: ownLabels)
        #expect(left.isEmpty, "conformance[\(fixture.name)] \(caseName) left containers: \(left.map(\.name))")
    }

    /// Selects what this case created in this run; other engineers run the same suite at the same time.
    private var ownLabels: [String: String?] {
        [ConformanceRun.runLabel: ConformanceRun.id, ConformanceRun.caseLabel: caseID]
    }

    private func cleanUp() async {
        guard let containers = try? await engine.listContainers(labels: ownLabels) else { return }
        for container in containers {
            try? await engine.removeContainer(container.id)
        }
    }

    /// Polls the container's stdout until it contains `text`: a shell prints it once its trap is set,
    /// since a signal that comes earlier is ignored by PID 1 and lost. The limit only guards against a
    /// hang; it is generous because engines on a busy machine can take long to start a container.
    func waitForOutput(_ text: String, _ idOrName: String, within seconds: Double = 120) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try await !engine.logs(idOrName, tail: nil).stdout.contains(text) {
            guard Date() < deadline else {
                Issue.record("\(idOrName) did not print \(text) within \(Int(seconds)) s")
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Polls until the container reaches `status` (or `seconds`, a hang guard, pass); returns its last state.
    func waitFor(_ status: ContainerInfo.Status, _ idOrName: String, within seconds: Double = 120) async throws
        -> ContainerInfo?
    {
        let deadline = Date().addingTimeInterval(seconds)
        var info = try await engine.inspectContainer(idOrName)
        while info?.status != status, Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            info = try await engine.inspectContainer(idOrName)
        }
        return info
    }
}

/// The sandbox server's answer to `GET /is_alive`.
struct AliveAnswer: Sendable {
    var status: Int
    var body: String
}

/// Asks the sandbox server at `host:port` whether it is alive, retrying while nothing answers.
/// - Returns: the first HTTP answer, or nil when none came within `seconds` (a hang guard: a sandbox's
///   python can take long to start on a busy machine).
func probeAlive(host: String, port: Int, token: String, within seconds: Double = 180) async -> AliveAnswer? {
    // Our own transport, not URLSession: FoundationNetworking's multi-handle crashed the test
    // process under load (a release inside DispatchSource.setEventHandler).
    let client = HTTPClient(target: .tcp(host: host, port: port, tls: nil), connectTimeout: .seconds(2))
    let request = HTTPRequest(path: "/is_alive", headers: [("X-API-Key", token)], timeout: .seconds(2))
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let response = try? await client.send(request) {
            return AliveAnswer(status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
        try? await Task.sleep(for: .milliseconds(250))
    }
    return nil
}

/// A TCP socket listening on 127.0.0.1, to take a port away from the engines.
final class LoopbackListener: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    /// Listens on a free port, or on `port` when given.
    init(port: Int = 0) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 1) == 0 else {
            let failure = errno
            close(descriptor)
            throw POSIXError(.init(rawValue: failure) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    /// A port that was free a moment ago (racy, as any such choice is), outside the ranges the kernel
    /// and docker hand out (see `LoopbackPorts`).
    static func freePort() throws -> Int {
        LoopbackPorts.unused()
    }
}
