import Diagnostics
import Foundation
import Manifest
import TestSupport
import Testing

/// Bad manifests in Fixtures/invalid, each beside the exact diagnostics it must produce (`NAME.txt`).
/// `NAME.overlay.yaml` is merged after `NAME.yaml`, `NAME.env` is given as an --env-file. Paths in
/// the output are relative to the fixtures folder. `SWEREX_UPDATE_GOLDEN=1` rewrites the .txt files.
enum GoldenFixtures {
    static let folder = TestEnvironment.packageRoot.appendingPathComponent("Tests/ManifestTests/Fixtures/invalid").path

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".overlay.yaml") }
            .map { String($0.dropLast(".yaml".count)) }.sorted()
    }

    /// The rendered diagnostics for one fixture, or a line saying it loaded without errors.
    static func render(_ name: String) -> String {
        let path = { (suffix: String) in "\(folder)/\(name)\(suffix)" }
        let exists = { (suffix: String) in FileManager.default.fileExists(atPath: path(suffix)) }
        let options = ManifestOptions(
            files: [path(".yaml")] + (exists(".overlay.yaml") ? [path(".overlay.yaml")] : []),
            envFiles: exists(".env") ? [path(".env")] : [],
            environment: ["HOME": "/nonexistent-home"],
            projectName: nil,
            homeDirectory: nil
        )
        do {
            _ = try ManifestLoader.load(options)
            return "(loaded without errors)\n"
        } catch {
            return error.description.replacingOccurrences(of: folder + "/", with: "")
        }
    }
}

@Test("There are at least 25 golden bad manifests")
func enoughGoldenFixtures() {
    #expect(GoldenFixtures.names.count >= 25)
}

@Test("Each bad manifest gives exactly its golden diagnostics", arguments: GoldenFixtures.names)
func goldenDiagnostics(_ name: String) throws {
    let rendered = GoldenFixtures.render(name)
    let golden = "\(GoldenFixtures.folder)/\(name).txt"
    if ProcessInfo.processInfo.environment["SWEREX_UPDATE_GOLDEN"] == "1" {
        try rendered.write(toFile: golden, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOfFile: golden, encoding: .utf8)
    #expect(rendered == expected)
    #expect(rendered.contains("error: "))
}
