import Foundation
import Manifest
import Runner
import Testing

@Suite("State file and project lock")
struct StateAndLockTests {
    static func temporaryFolder() -> String {
        let folder = NSTemporaryDirectory() + "swerex-runner-tests-\(UUID().uuidString)"
        return folder
    }

    @Test("the state folder follows XDG_STATE_HOME, else HOME")
    func defaultFolder() {
        #expect(
            StateStore.defaultFolder(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/h"]) == "/x/state/swerex-run"
        )
        #expect(StateStore.defaultFolder(environment: ["HOME": "/h"]) == "/h/.local/state/swerex-run")
        #expect(
            StateStore.defaultFolder(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"])
                == "/h/.local/state/swerex-run")
    }

    @Test("tokens are written mode 0600 in a 0700 folder and read back")
    func permissions() throws {
        let folder = Self.temporaryFolder() + "/state"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = StateStore(folder: folder)
        let engine = EngineIdentityRecord(kind: "sdk", runtime: "docker", endpoint: "unix:///var/run/docker.sock")
        let record = SandboxRecord(
            name: "demo-web-1", containerID: "c1", deployment: "web", replica: 1, url: "http://127.0.0.1:1234",
            token: "t", engine: engine)
        try store.update(project: "demo") { $0.sandboxes[record.name] = record }
        let file = try FileManager.default.attributesOfItem(atPath: store.path(project: "demo"))
        let dir = try FileManager.default.attributesOfItem(atPath: folder)
        #expect((file[.posixPermissions] as? Int) == 0o600)
        #expect((dir[.posixPermissions] as? Int) == 0o700)
        #expect(try store.load(project: "demo").record(deployment: "web", replica: 1) == record)
        try store.update(project: "demo") { $0.sandboxes = [:] }
        #expect(!FileManager.default.fileExists(atPath: store.path(project: "demo")))
    }

    @Test("a second holder of the project lock waits until the first lets go")
    func lockWaits() async throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var first: ProjectLock? = try await ProjectLock.acquire(project: "demo", folder: folder)
        let waited = Waited()
        let second = Task {
            try await ProjectLock.acquire(project: "demo", folder: folder) { _ in waited.mark() }
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(waited.value)
        withExtendedLifetime(first) {}
        first = nil
        let lock = try await second.value
        #expect(lock.path == folder + "/demo.lock")
    }

    @Test("waiting for the lock can be cancelled")
    func lockCancels() async throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try await ProjectLock.acquire(project: "demo", folder: folder)
        let second = Task { try await ProjectLock.acquire(project: "demo", folder: folder) }
        try await Task.sleep(for: .milliseconds(200))
        second.cancel()
        await #expect(throws: CancellationError.self) { try await second.value }
        withExtendedLifetime(first) {}
    }
}

final class Waited: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func mark() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}

@Suite("Project names never leave the state and lock folders")
struct ProjectNamePathTests {
    @Test(
        "a name with a path in it, an empty name or a capital is refused with the rule",
        arguments: [
            "../../elsewhere/settings", "", "Bad Name", "a/b", ".hidden", "-x",
        ])
    func refused(name: String) async throws {
        let folder = StateAndLockTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = StateStore(folder: folder + "/state")
        #expect(ProjectName.problem(with: name) != nil)
        #expect(throws: RunnerError.self) { try store.load(project: name) }
        #expect(throws: RunnerError.self) { try store.update(project: name) { _ in } }
        await #expect(throws: RunnerError.self) {
            try await ProjectLock.acquire(project: name, folder: folder + "/run")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/run"))
    }

    @Test("names of the documented form are accepted", arguments: ["demo", "swe-eval", "a_1", "0x"])
    func accepted(name: String) {
        #expect(ProjectName.problem(with: name) == nil)
    }

    @Test("a state file that names another project is written back under the name asked for")
    func fileNamingAnotherProject() throws {
        let folder = StateAndLockTests.temporaryFolder() + "/state"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = StateStore(folder: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let forged = #"{"project": "../escaped", "sandboxes": {}}"#
        try forged.write(toFile: store.path(project: "demo"), atomically: true, encoding: .utf8)
        let engine = EngineIdentityRecord(kind: "sdk", runtime: "docker", endpoint: "unix:///var/run/docker.sock")
        let record = SandboxRecord(
            name: "demo-web-1", containerID: "c1", deployment: "web", replica: 1, url: "http://127.0.0.1:1",
            token: "t", engine: engine)
        try store.update(project: "demo") { $0.sandboxes[record.name] = record }
        #expect(try store.load(project: "demo").project == "demo")
        #expect(!FileManager.default.fileExists(atPath: folder + "/../escaped.json"))
    }
}
