import Foundation
import TestSupport
import Testing

/// A-F4: the examples share one folder, so those that name no project share project `examples`.
@Suite("Example projects")
struct ExampleProjectTests {
    static let folder = TestEnvironment.packageRoot.appendingPathComponent("examples").path

    static var examples: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test("each example names its project, or says to give -p NAME", arguments: examples)
    func namesItsProjectOrSaysHow(name: String) throws {
        let text = try String(contentsOfFile: "\(Self.folder)/\(name)", encoding: .utf8)
        let lines = text.split(separator: "\n")
        let namesProject = lines.contains { $0.hasPrefix("project:") }
        let isOverlay = name == "ci.yaml"
        let header = lines.prefix { $0.hasPrefix("#") }.joined(separator: " ")
        #expect(namesProject || isOverlay || header.contains("-p NAME"), "\(name)")
    }
}
