import Foundation
import TestSupport
import Testing
import YAMLDocument

@testable import Manifest

/// The schema file, the field table and `DeploymentConfig` must list the same fields.
/// `SWEREX_UPDATE_SCHEMA=1` rewrites schemas/swerex-run.schema.json from the table.
@Suite("Schema and field table")
struct SchemaTests {
    static let schemaPath = TestEnvironment.packageRoot.appendingPathComponent("schemas/swerex-run.schema.json").path

    private func schemaFile() throws -> [String: Any] {
        if ProcessInfo.processInfo.environment["SWEREX_UPDATE_SCHEMA"] == "1" {
            try ManifestSchema.text.write(toFile: Self.schemaPath, atomically: true, encoding: .utf8)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.schemaPath))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func properties(_ definition: String) throws -> [String: [String: Any]] {
        let definitions = try #require(try schemaFile()["$defs"] as? [String: Any])
        let shape = try #require(definitions[definition] as? [String: Any])
        return try #require(shape["properties"] as? [String: [String: Any]])
    }

    @Test("The schema file is what the field table generates")
    func schemaFileIsGenerated() throws {
        _ = try schemaFile()
        let text = try String(contentsOfFile: Self.schemaPath, encoding: .utf8)
        #expect(text == ManifestSchema.text, "run the tests with SWEREX_UPDATE_SCHEMA=1 to regenerate the schema")
    }

    @Test("The schema declares draft 2020-12")
    func schemaDraft() throws {
        #expect(try schemaFile()["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test("Every field of the table is in the schema with its description and default, and nothing else")
    func schemaMatchesTable() throws {
        let single = try properties("deployment")
        #expect(Set(single.keys) == Set(DeploymentField.names))
        let inProject = try properties("projectDeployment")
        #expect(Set(inProject.keys) == Set(DeploymentField.names + ["replicas"]))
        for field in DeploymentField.all {
            let property = try #require(single[field.name])
            #expect(property["description"] as? String == field.summary, "\(field.name)")
            let fileDefault = property["default"].map { $0 as? NSObject } ?? nil
            #expect(fileDefault == foundationValue(field.defaultValue), "\(field.name)")
        }
    }

    @Test("Every stored property of DeploymentConfig is a field of the table, and the other way round")
    func tableMatchesDeploymentConfig() {
        let properties = Mirror(reflecting: DeploymentConfig()).children.compactMap(\.label).map(snakeCase)
        // `type` is SWE-ReX's discriminator: accepted, never stored.
        #expect(Set(properties) == Set(DeploymentField.names).subtracting(["type"]))
    }

    @Test("Each field's default in the table is DeploymentConfig's default")
    func tableDefaultsMatchDeploymentConfig() {
        for field in DeploymentField.all {
            #expect(field.read(DeploymentConfig()) == field.defaultValue, "\(field.name)")
        }
    }

    @Test("Each field's description ends with a full stop and has no stray spaces")
    func descriptionsAreTidy() {
        for field in DeploymentField.all {
            #expect(field.summary.hasSuffix("."), "\(field.name)")
            #expect(field.summary == field.summary.trimmingCharacters(in: .whitespaces), "\(field.name)")
        }
    }
}

/// `dockerUseSSH` → `docker_use_ssh`, `dockerTLS` → `docker_tls`.
func snakeCase(_ name: String) -> String {
    var out = ""
    var previous: Character?
    for character in name {
        if character.isUppercase, let previous, previous.isLowercase { out.append("_") }
        out += character.lowercased()
        previous = character
    }
    return out
}

/// A JSONValue as JSONSerialization would give it, for comparing with a parsed file.
func foundationValue(_ value: JSONValue) -> NSObject? {
    switch value {
    case .null: return NSNull()
    case .bool(let flag): return NSNumber(value: flag)
    case .int(let number): return NSNumber(value: number)
    case .double(let number): return NSNumber(value: number)
    case .string(let text): return text as NSString
    case .array(let items): return items.map { foundationValue($0) ?? NSNull() } as NSArray
    case .object(let members):
        return Dictionary(members.map { ($0.0, foundationValue($0.1) ?? NSNull()) }, uniquingKeysWith: { a, _ in a })
            as NSDictionary
    }
}

@Test("docs/manifest.md lists every field in its table")
func documentationListsEveryField() throws {
    let path = TestEnvironment.packageRoot.appendingPathComponent("docs/manifest.md").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    for field in DeploymentField.all {
        #expect(text.contains("| `\(field.name)` |"), "\(field.name) is missing from docs/manifest.md")
    }
}
