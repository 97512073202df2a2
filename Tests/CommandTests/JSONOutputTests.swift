import Foundation
import TestSupport
import Testing

/// A-F8: `--output json` is JSON on stdout for validate and logs too.
@Suite("JSON output of validate and logs")
struct JSONOutputTests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    @Test("validate --output json lists each manifest with its problems and where they are")
    func validate() async throws {
        let workspace = try Workspace("json")
        defer { workspace.remove() }
        let good = try workspace.write("good.yaml", "image: swerex-sandbox:test\n")
        let bad = try workspace.write("bad.yaml", "image: x\nimgae: y\n")
        let result = try await Binary.run(["validate", "--output", "json", good, bad], in: workspace)
        #expect(result.status == 1)
        let json = try object(result.stdout)
        #expect(json["valid"] as? Bool == false)
        let manifests = try #require(json["manifests"] as? [[String: Any]])
        #expect(manifests.count == 2)
        #expect(manifests[0]["valid"] as? Bool == true)
        #expect(manifests[0]["sandboxes"] as? Int == 1)
        let problem = try #require((manifests[1]["problems"] as? [[String: Any]])?.first)
        #expect(problem["severity"] as? String == "error")
        #expect(problem["file"] as? String == bad)
        #expect(problem["line"] as? Int == 2)
        #expect(problem["column"] as? Int == 1)
        #expect((problem["message"] as? String)?.contains("did you mean 'image'?") == true)
    }

    @Test("validate --output json shows no secret value, in problems or on stderr")
    func validateHidesSecrets() async throws {
        let workspace = try Workspace("json")
        defer { workspace.remove() }
        let manifest = try workspace.write(
            "m.yaml", "image: swerex-sandbox:test\nengine: sdk\ndocker_env:\n  MY_TOKEN: tok-secret-json\n")
        let result = try await Binary.run(["validate", "--output", "json", manifest], in: workspace)
        let json = try object(result.stdout)
        let problems = (json["manifests"] as? [[String: Any]])?.first?["problems"] as? [[String: Any]] ?? []
        #expect(!problems.isEmpty, "\(result.stdout)")
        #expect(!(result.stdout + result.stderr).contains("tok-secret-json"))
    }

    @Test("logs --output json gives each container's stdout and stderr")
    func logs() async throws {
        let setup = EngineSetup.sdkDocker
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("json")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web:\n    replicas: 2\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        #expect(try await Binary.run(["up", "-d", "-q", manifest], in: workspace).status == 0)
        let result = try await Binary.run(["logs", "--output", "json", "-f", manifest, "web"], in: workspace)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try object(result.stdout)
        #expect(json["project"] as? String == workspace.project)
        let containers = try #require(json["containers"] as? [[String: Any]])
        #expect(containers.compactMap { $0["name"] as? String } == ["1", "2"].map { "\(workspace.project)-web-\($0)" })
        #expect(containers.allSatisfy { $0["stdout"] is String && $0["stderr"] is String })
    }
}
