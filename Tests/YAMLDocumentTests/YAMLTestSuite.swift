import Foundation
import TestSupport
import YAMLDocument

/// The YAML test suite (github.com/yaml/yaml-test-suite, data layout): one folder per case, some holding
/// numbered sub-cases, each with `in.yaml` and either `error` or `in.json`.
enum YAMLTestSuite {
    /// One case: `in.yaml`, and whether it must fail or what JSON it must equal.
    struct Case: Sendable, CustomStringConvertible {
        /// `229Q`, or `2G84/01` for a sub-case.
        var id: String
        var folder: URL
        var expectsError: Bool
        var hasJSON: Bool

        var description: String { id }

        func read(_ name: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
    }

    /// Where the suite is looked for, in order: `$YAML_TEST_SUITE_DIR`, `../shared/yaml-test-suite` beside the
    /// package's folder (how CI lays it out), and the machine-wide copy.
    static let candidates: [String] = {
        var paths: [String] = []
        if let path = ProcessInfo.processInfo.environment["YAML_TEST_SUITE_DIR"] { paths.append(path) }
        paths.append(TestEnvironment.packageRoot.appendingPathComponent("../shared/yaml-test-suite").standardized.path)
        paths.append("/work/shared/yaml-test-suite")
        return paths
    }()

    /// The suite's folder, or nil when it is in none of the candidate places.
    static let folder: URL? = {
        let found = candidates.first { path in
            FileManager.default.fileExists(atPath: path + "/229Q/in.yaml")
                || FileManager.default.fileExists(atPath: path + "/2G84/00/in.yaml")
        }
        return found.map { URL(fileURLWithPath: $0) }
    }()

    static var missingReason: String {
        "yaml-test-suite not found (looked in \(candidates.joined(separator: ", "))); set YAML_TEST_SUITE_DIR"
    }

    /// Every case with an `error` or `in.json`, sorted by id.
    static func cases() -> [Case] {
        guard let folder else { return [] }
        let manager = FileManager.default
        var cases: [Case] = []
        let names = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            let caseFolder = folder.appendingPathComponent(name)
            if manager.fileExists(atPath: caseFolder.appendingPathComponent("in.yaml").path) {
                cases.append(contentsOf: makeCase(id: name, folder: caseFolder))
                continue
            }
            let subNames = (try? manager.contentsOfDirectory(atPath: caseFolder.path)) ?? []
            for sub in subNames.sorted() where sub.allSatisfy(\.isNumber) {
                cases.append(contentsOf: makeCase(id: "\(name)/\(sub)", folder: caseFolder.appendingPathComponent(sub)))
            }
        }
        return cases
    }

    private static func makeCase(id: String, folder: URL) -> [Case] {
        let manager = FileManager.default
        let expectsError = manager.fileExists(atPath: folder.appendingPathComponent("error").path)
        let hasJSON = manager.fileExists(atPath: folder.appendingPathComponent("in.json").path)
        guard expectsError || hasJSON else { return [] }
        return [Case(id: id, folder: folder, expectsError: expectsError, hasJSON: hasJSON)]
    }

    /// The checked-in list of cases libyaml itself gets wrong: case id, then the reason.
    static func knownFailures() throws -> [String: String] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/libyaml-known-failures.txt")
        var known: [String: String] = [:]
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1)
            known[String(parts[0])] = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        }
        return known
    }

    /// Nil when the case behaves as the suite says, else what went wrong.
    static func failure(of testCase: Case) -> String? {
        let yaml: String
        do {
            yaml = try testCase.read("in.yaml")
        } catch {
            return "cannot read in.yaml: \(error)"
        }
        let loaded: [YAMLNode?]
        do {
            loaded = try YAMLLoader.load(yaml, file: "in.yaml")
        } catch {
            return testCase.expectsError
                ? nil : "does not load: \(error.message) at \(error.location?.description ?? "?")"
        }
        if testCase.expectsError { return "loads, but the suite says it is an error" }
        do {
            let expected = try JSONStreamReader.values(in: testCase.read("in.json"))
            let actual = try loaded.map { try $0?.json() ?? .null }
            guard actual.map(\.normalised) == expected.map(\.normalised) else {
                return "loads as \(actual.map { $0.jsonText() }) but in.json is \(expected.map { $0.jsonText() })"
            }
            return nil
        } catch {
            return "cannot compare with in.json: \(error)"
        }
    }
}

extension JSONValue {
    /// Objects with their keys sorted: JSON objects are unordered, so the suite's `in.json` may list keys in
    /// any order.
    var normalised: JSONValue {
        switch self {
        case .array(let items): return .array(items.map(\.normalised))
        case .object(let members): return .object(members.map { ($0.0, $0.1.normalised) }.sorted { $0.0 < $1.0 })
        default: return self
        }
    }
}
