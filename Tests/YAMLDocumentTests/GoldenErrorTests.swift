import Diagnostics
import Foundation
import Testing
import YAMLDocument

/// One pinned error: `Fixtures/golden/<name>.yaml` goes in, `<name>.txt` is the full rendered diagnostic.
struct GoldenCase: Sendable, CustomStringConvertible {
    var name: String
    var limits = YAMLLimits()
    /// What is asked of the loaded documents; nil when loading alone must fail.
    var request: (@Sendable ([YAMLNode?]) throws -> Void)?

    var description: String { name }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    /// The rendered diagnostic the case produces, or nil when nothing failed.
    func render() throws -> String? {
        let file = "\(name).yaml"
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        let renderer = DiagnosticRenderer(sources: [SourceFile(name: file, text: text)])
        do {
            let documents = try YAMLLoader.load(text, file: file, limits: limits)
            try request?(documents)
            return nil
        } catch let diagnostic as Diagnostic {
            return renderer.render(diagnostic)
        }
    }
}

/// The first document's value under `key`, for requests on a small mapping.
func member(_ documents: [YAMLNode?], _ key: String) -> YAMLNode {
    guard case .mapping(let pairs)? = documents.first??.content,
        let pair = pairs.first(where: { (try? $0.key.string()) == key })
    else { fatalError("golden input lacks key \(key)") }
    return pair.value
}

extension YAMLLimits {
    fileprivate static func with(_ change: (inout YAMLLimits) -> Void) -> YAMLLimits {
        var limits = YAMLLimits()
        change(&limits)
        return limits
    }
}

@Suite("Rendered errors, pinned by golden files")
struct GoldenErrorTests {
    static let cases: [GoldenCase] = [
        GoldenCase(name: "syntax-unclosed-flow-sequence"),
        GoldenCase(name: "syntax-mapping-value-in-scalar"),
        GoldenCase(name: "syntax-tab-indentation"),
        GoldenCase(name: "syntax-comment-glued-to-quote"),
        GoldenCase(name: "duplicate-key"),
        GoldenCase(name: "duplicate-key-from-quoting"),
        GoldenCase(name: "alias-expansion-bound"),
        GoldenCase(name: "alias-unknown-anchor"),
        GoldenCase(name: "alias-recursive"),
        GoldenCase(name: "depth-bound", limits: .with { $0.maxDepth = 3 }),
        GoldenCase(name: "input-size-bound", limits: .with { $0.maxInputBytes = 40 }),
        GoldenCase(name: "merge-key-scalar"),
        GoldenCase(name: "typed-int-from-word") { _ = try member($0, "replicas").int() },
        GoldenCase(name: "typed-int-from-quoted") { _ = try member($0, "port").int() },
        GoldenCase(name: "typed-int-out-of-range") { _ = try member($0, "timeout").int() },
        GoldenCase(name: "typed-bool-from-yes") { _ = try member($0, "enabled").bool() },
        GoldenCase(name: "typed-double-from-version") { _ = try member($0, "ratio").double() },
        GoldenCase(name: "typed-string-from-null") { _ = try member($0, "image").string() },
        GoldenCase(name: "typed-string-from-mapping") { _ = try member($0, "image").string() },
        GoldenCase(name: "unknown-tag") { _ = try $0[0]?.value() },
        GoldenCase(name: "core-tag-mismatch") { _ = try $0[0]?.value() },
        GoldenCase(name: "directive-after-open-document"),
    ]

    @Test("Each error renders exactly as its golden file says", arguments: cases)
    func rendersAsPinned(_ golden: GoldenCase) throws {
        let expectedFile = GoldenCase.folder.appendingPathComponent("\(golden.name).txt")
        let actual = try #require(try golden.render(), "\(golden.name).yaml raised no error")
        if ProcessInfo.processInfo.environment["GOLDEN_UPDATE"] == "1" {
            try actual.write(to: expectedFile, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedFile, encoding: .utf8)
        #expect(actual == expected)
    }

    @Test("Every golden input has a case, and every case its two files")
    func goldenFilesMatchCases() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: GoldenCase.folder.path)
        let inputs = Set(names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        let outputs = Set(names.filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) })
        let cases = Set(Self.cases.map(\.name))
        #expect(inputs == cases)
        #expect(outputs == cases)
        #expect(cases.count >= 10)
    }
}
