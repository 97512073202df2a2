import Foundation
import TestSupport
import Testing

/// `validate` from the binary: what it checks together and what alone, and where it reports.
@Suite("validate")
struct ValidateTests {
    /// A base that runs podman, and an overlay that is valid alone but asks for the sdk engine.
    func baseAndOverlay(_ workspace: Workspace) throws -> (base: String, overlay: String) {
        let base = try workspace.write(
            "base.yaml",
            """
            project: \(workspace.project)
            defaults:
              image: swerex-sandbox:test
              container_runtime: podman
            deployments:
              web: {}

            """)
        let overlay = try workspace.write(
            "overlay.yaml", "project: \(workspace.project)\ndefaults:\n  engine: sdk\ndeployments:\n  web: {}\n")
        return (base, overlay)
    }

    @Test("A-F6: validate -f A -f B checks the merge, so an overlay that breaks its base fails")
    func mergesFileOptions() async throws {
        let workspace = try Workspace("validate")
        defer { workspace.remove() }
        let files = try baseAndOverlay(workspace)
        let merged = try await Binary.run(["validate", "-f", files.base, "-f", files.overlay], in: workspace)
        #expect(merged.status == 1, "\(merged.stdout)\(merged.stderr)")
        #expect(merged.stderr.contains("overlay.yaml:3:11: error:"), "\(merged.stderr)")
        let alone = try await Binary.run(["validate", files.base, files.overlay], in: workspace)
        #expect(alone.status == 0, "\(alone.stderr)")
    }

    @Test("validate -f base.yaml -f ci.yaml reports the merged project")
    func mergedExamples() async throws {
        let examples = TestEnvironment.packageRoot.appendingPathComponent("examples").path
        let result = try await Binary.run(["validate", "-f", "\(examples)/base.yaml", "-f", "\(examples)/ci.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout + result.stderr
        #expect(
            text.contains("base.yaml + \(examples)/ci.yaml: valid (project sandboxes, 1 deployment(s), 2 sandbox(es))"),
            "\(text)")
    }
}
