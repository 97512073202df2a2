import Foundation
import Testing

/// A-F1: a project name given on the command line or in a manifest is checked before it becomes a path.
@Suite("Project names from the command line and the manifest")
struct ProjectNameTests {
    @Test("down --project with a path in it exits 64 and touches nothing outside the state folder")
    func downProjectTraversal() async throws {
        let workspace = try Workspace("names")
        defer { workspace.remove() }
        let elsewhere = workspace.folder + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try #"{"precious":1}"#.write(toFile: elsewhere + "/settings.json", atomically: true, encoding: .utf8)
        let result = try await Binary.run(["down", "--project", "../../elsewhere/settings"], in: workspace)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: Option '--project': project name '../../elsewhere/settings' must be"))
        #expect(result.stderr.contains("Usage: swerex-run down"))
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/settings.json"))
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/settings.lock"))
    }

    @Test(
        "an empty or malformed name for --project or -p is a usage error, exit 64",
        arguments: [
            ["down", "--project", ""], ["down", "--project", "Bad Name"], ["plan", "-p", "Bad Name", "m.yaml"],
            ["up", "-d", "--project-name=../x", "m.yaml"], ["exec", "-p", "a/b", "web", "--", "true"],
        ])
    func malformedOptionValue(arguments: [String]) async throws {
        let workspace = try Workspace("names")
        defer { workspace.remove() }
        try workspace.write("m.yaml", "image: swerex-sandbox:test\npull: never\n")
        let result = try await Binary.run(arguments, in: workspace)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("must be lowercase letters, digits, '_' and '-'"), "\(result.stderr)")
    }

    @Test("a manifest's project name with a path in it is an error at its line, and nothing is written")
    func manifestName() async throws {
        let workspace = try Workspace("names")
        defer { workspace.remove() }
        let manifest = try workspace.write(
            "m.yaml", "project: ../../escaped\ndeployments:\n  web:\n    image: swerex-sandbox:test\n")
        let result = try await Binary.run(["down", manifest], in: workspace)
        #expect(result.status == 1)
        #expect(result.stderr.contains("m.yaml:1:10: error: project name '../../escaped' must be"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.folder + "/escaped.lock"))
    }
}
