import Foundation
import Testing
import Diagnostics
@testable import Manifest
import TestSupport

@Test func smoke() throws {
    let root = TestEnvironment.packageRoot.path
    for files in [["local.yaml"], ["project.yaml"], ["base.yaml", "ci.yaml"], ["agent-run.yaml"], ["podman.yaml"], ["ssh.yaml"], ["dind-tcp.yaml"]] {
        do {
            let loaded = try ManifestLoader.load(ManifestOptions(files: files.map { "\(root)/examples/\($0)" }, environment: ["HOME": "/nonexistent"]))
            print(ManifestRenderer.render(loaded, format: .yaml, explain: true))
            print(DiagnosticRenderer(sources: loaded.sources).render(DiagnosticList(loaded.project.warnings)))
        } catch {
            print(error.description)
        }
    }
}
