import Foundation
import TestSupport

/// A temporary folder with its own state and lock folders, and a project name no other test uses.
struct Workspace: Sendable {
    let folder: String
    let project: String

    init(_ label: String) throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        project = "rt-\(label)-\(suffix)"
        folder = NSTemporaryDirectory() + "swerex-cmdtest-\(project)"
        try FileManager.default.createDirectory(atPath: folder + "/state", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/run", withIntermediateDirectories: true)
    }

    static var baseEnvironment: [String: String] {
        let process = ProcessInfo.processInfo.environment
        var environment = [
            "PATH": process["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "HOME": process["HOME"] ?? "/root",
        ]
        environment["NO_COLOR"] = "1"
        if let conf = TestEnvironment.shared.podmanContainersConf { environment["CONTAINERS_CONF"] = conf }
        if let ssh = TestEnvironment.shared.sshConfig { environment["SWEREX_SSH_CONFIG"] = ssh }
        return environment
    }

    var environment: [String: String] {
        var environment = Self.baseEnvironment
        environment["XDG_STATE_HOME"] = folder + "/state"
        environment["XDG_RUNTIME_DIR"] = folder + "/run"
        return environment
    }

    var stateFile: String { folder + "/state/swerex-run/\(project).json" }

    /// Writes `text` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
