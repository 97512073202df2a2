import Foundation
import TestSupport

/// The built `swerex-run`, found next to the test bundle (or at `SWEREX_RUN_BINARY`).
enum Binary {
    static let path: String? = {
        if let given = ProcessInfo.processInfo.environment["SWEREX_RUN_BINARY"] { return given }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("swerex-run").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    /// Runs the binary to the end.
    static func run(
        _ arguments: [String],
        in workspace: Workspace? = nil,
        environment extra: [String: String] = [:],
        timeout: Double = 120
    ) async throws -> Subprocess.Result {
        let process = try start(arguments, in: workspace, environment: extra)
        return await process.wait(timeout: timeout)
    }

    /// Starts the binary and returns at once.
    static func start(
        _ arguments: [String],
        in workspace: Workspace? = nil,
        environment extra: [String: String] = [:],
        closedStdout: Bool = false
    ) throws -> Subprocess {
        guard let path else { throw BinaryMissing() }
        var environment = workspace?.environment ?? Workspace.baseEnvironment
        environment.merge(extra) { _, new in new }
        return try Subprocess(
            path, arguments, environment: environment, directory: workspace?.folder ?? "/tmp",
            closedStdout: closedStdout)
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String { "swerex-run was not built next to the tests; set SWEREX_RUN_BINARY" }
    }
}
