import Foundation
import Manifest
import TestSupport
import Testing
import YAMLDocument

/// Every example must pass our validator and Python's `jsonschema` against the schema file; every
/// manifest in Fixtures/schema-invalid must fail both.
@Suite("Examples and the JSON Schema")
struct ExamplesTests {
    static let root = TestEnvironment.packageRoot.path
    static let examplesFolder = "\(root)/examples"
    static let invalidFolder = "\(root)/Tests/ManifestTests/Fixtures/schema-invalid"
    static let schemaComment = "# yaml-language-server: $schema=../schemas/swerex-run.schema.json"
    static let python = TestEnvironment.shared["SWEREX_TEST_PYTHON"]

    static func yamlFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static var examples: [String] { yamlFiles(in: examplesFolder) }
    static var invalid: [String] { yamlFiles(in: invalidFolder) }

    /// tls.yaml reads its certificate folder from DOCKER_CERT_DIR; the files only need to exist.
    static let environment: [String: String] = {
        let certificates = ProcessScratch.folder("manifest-example-certs-")
        for name in ["ca.pem", "cert.pem", "key.pem"] {
            _ = FileManager.default.createFile(atPath: "\(certificates)/\(name)", contents: Data())
        }
        return ["HOME": "/nonexistent-home", "DOCKER_CERT_DIR": certificates]
    }()

    static func load(_ paths: [String]) throws(ManifestError) -> LoadedManifest {
        try ManifestLoader.load(ManifestOptions(files: paths, environment: environment))
    }

    @Test("The examples include the ones the README and docs refer to")
    func examplesExist() {
        let expected = [
            "local.yaml", "project.yaml", "base.yaml", "ci.yaml", "dind-tcp.yaml", "tls.yaml", "ssh.yaml",
            "podman.yaml", "agent-run.yaml",
        ]
        #expect(Set(expected).isSubset(of: Set(Self.examples)))
    }

    @Test("Each example starts with the yaml-language-server schema comment", arguments: examples)
    func exampleHasSchemaComment(_ name: String) throws {
        let text = try String(contentsOfFile: "\(Self.examplesFolder)/\(name)", encoding: .utf8)
        #expect(text.hasPrefix(Self.schemaComment + "\n"))
    }

    @Test("Each example passes our validator without warnings, except agent-run's note", arguments: examples)
    func examplePassesOurValidator(_ name: String) throws {
        let loaded = try Self.load(["\(Self.examplesFolder)/\(name)"])
        #expect(!loaded.project.deployments.isEmpty)
        let warnings = loaded.project.warnings.map(\.message)
        if name == "agent-run.yaml" {
            #expect(
                warnings == [
                    "only the deployment is read from this agent run config; ignoring agent, env.repo, problem_statement"
                ])
        } else {
            #expect(warnings == [])
        }
    }

    @Test("base.yaml with the ci.yaml overlay merges as documented")
    func overlayMerges() throws {
        let loaded = try Self.load(["\(Self.examplesFolder)/base.yaml", "\(Self.examplesFolder)/ci.yaml"])
        let agent = try #require(loaded.project.deployments.first)
        #expect(loaded.project.name == "sandboxes")
        #expect(agent.replicas == 2)
        #expect(agent.config.startupTimeout == 30)
        #expect(agent.config.pull == .never)
        #expect(agent.config.dockerEnv == ["DOCKER_HOST": "unix:///var/run/docker.sock"])
        #expect(agent.endpointSource == "docker_env.DOCKER_HOST")
    }

    @Test("Each manifest in schema-invalid fails our validator", arguments: invalid)
    func invalidFailsOurValidator(_ name: String) {
        #expect(throws: ManifestError.self) { try Self.load(["\(Self.invalidFolder)/\(name)"]) }
    }

    @Test(
        "Each example passes Python's jsonschema, and each schema-invalid manifest fails it",
        .enabled(if: python != nil, "SWEREX_TEST_PYTHON is not set: run scripts/testenv/up")
    )
    func jsonschemaAgrees() async throws {
        var instances: [(String, JSONValue)] = []
        for name in Self.examples {
            instances.append(("examples/\(name)", try Self.json("\(Self.examplesFolder)/\(name)")))
        }
        for name in Self.invalid {
            instances.append(("invalid/\(name)", try Self.json("\(Self.invalidFolder)/\(name)")))
        }
        let errors = try await Self.runJSONSchema(instances: instances)
        for name in Self.examples {
            #expect(errors["examples/\(name)"] == [], "examples/\(name)")
        }
        for name in Self.invalid {
            #expect(errors["invalid/\(name)"]?.isEmpty == false, "invalid/\(name) passed jsonschema")
        }
    }

    /// The file's document as JSON, through our YAML loader (jsonschema does not read YAML).
    static func json(_ path: String) throws -> JSONValue {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let documents = try YAMLLoader.load(text, file: path)
        return try #require(documents.first ?? nil).json()
    }

    /// Validates every instance in one Python process; returns each instance's error messages.
    static func runJSONSchema(instances: [(String, JSONValue)]) async throws -> [String: [String]] {
        let schema = try String(contentsOfFile: "\(root)/schemas/swerex-run.schema.json", encoding: .utf8)
        let input = "{\"schema\": \(schema), \"instances\": \(JSONValue.object(instances).jsonText())}"
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            data = json.load(sys.stdin)
            Draft202012Validator.check_schema(data["schema"])
            validator = Draft202012Validator(data["schema"])
            json.dump({name: [e.message for e in validator.iter_errors(instance)]
                       for name, instance in data["instances"].items()}, sys.stdout)
            """
        let run = try await ChildRun.run(try #require(python), ["-c", script], input: Data(input.utf8))
        try #require(run.status == 0, "python failed: \(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [String]])
    }
}
