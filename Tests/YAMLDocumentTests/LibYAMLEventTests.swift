import Foundation
import Testing
import YAMLDocument

@Suite("libyaml's own events on the YAML test suite")
struct LibYAMLEventTests {
    /// libyaml's events for the case, ending in `ERROR` when it stopped on an error.
    static func libyamlEvents(_ testCase: YAMLTestSuite.Case) throws -> [String] {
        let trace = YAMLLoader.eventTrace(try testCase.read("in.yaml"), file: "in.yaml")
        return trace.events + (trace.error == nil ? [] : ["ERROR"])
    }

    /// The suite's `test.event`, ending in `ERROR` for an error case.
    static func suiteEvents(_ testCase: YAMLTestSuite.Case) throws -> [String] {
        let lines = try testCase.read("test.event").split(separator: "\n").map(String.init)
        return lines + (testCase.expectsError ? ["ERROR"] : [])
    }

    @Test(
        "Every known failure is libyaml's own: its event stream already differs from the case's test.event",
        .enabled(if: YAMLTestSuite.folder != nil, Comment(rawValue: YAMLTestSuite.missingReason))
    )
    func knownFailuresAreLibyamls() throws {
        let known = try YAMLTestSuite.knownFailures()
        let cases = Dictionary(uniqueKeysWithValues: YAMLTestSuite.cases().map { ($0.id, $0) })
        for id in known.keys.sorted() {
            guard let testCase = cases[id] else {
                Issue.record("\(id) is listed in libyaml-known-failures.txt but is no case of the suite")
                continue
            }
            let libyaml = try Self.libyamlEvents(testCase)
            let suite = try Self.suiteEvents(testCase)
            #expect(libyaml != suite, "\(id): libyaml's events equal test.event, so the failure is ours")
        }
    }
}
