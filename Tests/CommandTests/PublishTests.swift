import Foundation
import TestSupport
import Testing

/// B-F8: an engine reached at a loopback address runs on this machine; its sandboxes' ports are
/// published on 127.0.0.1 only, as for the local socket.
@Suite("Published ports stay on loopback for an engine on this machine", .serialized)
struct PublishTests {
    @Test("a sandbox on tcp://127.0.0.1 with TLS is published on 127.0.0.1 only", arguments: ["sdk", "cli"])
    func loopbackTCPEndpoint(engine: String) async throws {
        try #require(DownByNameTests.available, "test environment lacks the TLS daemon: run scripts/testenv/up")
        let project = try DownByNameTests.TLSProject("publish", engine: engine)
        defer { Task { await project.cleanUp() } }
        let up = try await Binary.run(["up", "-d", "-q", project.manifest], in: project.workspace)
        #expect(up.status == 0, "\(up.stderr)")
        let ports = try await project.docker(["port", "\(project.workspace.project)-web-1", "8000"])
        let addresses = ports.split(separator: "\n").map { $0.split(separator: ":").dropLast().joined(separator: ":") }
        #expect(!addresses.isEmpty, "\(ports)")
        #expect(addresses.allSatisfy { $0 == "127.0.0.1" }, "\(ports)")
    }
}
