import Foundation
import Manifest
import Synchronization

/// Folders that several tests share for the whole test process, removed when the process exits.
enum ProcessScratch {
    private static let folders = Mutex<[String]>([])
    private static let removeAtExit: Void = {
        atexit {
            for folder in ProcessScratch.folders.withLock({ $0 }) {
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
    }()

    /// A new folder in the temporary directory whose name starts with `prefix`, removed at exit.
    static func folder(_ prefix: String) -> String {
        _ = removeAtExit
        let folder = NSTemporaryDirectory() + prefix + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        folders.withLock { $0.append(folder) }
        return folder
    }
}

/// Manifests written to a fresh temporary folder for one test, then loaded; the folder goes with it.
final class ManifestFiles: Sendable {
    let folder: String

    init() {
        folder = NSTemporaryDirectory() + "manifest-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Writes `text` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = "\(folder)/\(name)"
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// Loads the named files (already written) in order.
    func load(
        _ names: [String],
        envFiles: [String] = [],
        environment: [String: String] = ["HOME": "/nonexistent-home"],
        projectName: String? = nil
    ) throws(ManifestError) -> LoadedManifest {
        try ManifestLoader.load(
            ManifestOptions(
                files: names.map { "\(folder)/\($0)" },
                envFiles: envFiles.map { "\(folder)/\($0)" },
                environment: environment,
                projectName: projectName,
                homeDirectory: nil
            )
        )
    }

    /// Writes one manifest called `manifest.yaml` and loads it.
    func load(_ text: String, environment: [String: String] = ["HOME": "/nonexistent-home"]) throws(ManifestError)
        -> LoadedManifest
    {
        write("manifest.yaml", text)
        return try load(["manifest.yaml"], environment: environment)
    }

    /// The error messages (without positions) a manifest produces, or [] when it loads.
    func messages(_ text: String, environment: [String: String] = ["HOME": "/nonexistent-home"]) -> [String] {
        do {
            _ = try load(text, environment: environment)
            return []
        } catch {
            return error.diagnostics.diagnostics.filter { $0.severity == .error }.map(\.message)
        }
    }
}
