import Diagnostics
import Foundation
import TestSupport
import Testing
import YAMLDocument

/// Peak resident memory of this process, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

/// Set in the environment of the child test run that measures the billion laughs' memory on its own.
private let memoryChildMarker = "SWEREX_YAML_LIMITS_MEMORY_CHILD"

@Suite("Bounds on hostile input")
struct LimitsTests {
    /// Not a speed target (those belong in benchmarks): only a guard against a loader that hangs or
    /// expands without bound. What each test asserts is which bound tripped, and where; a loaded
    /// machine stays far below this.
    static let hangGuard = Duration.seconds(60)

    static func billionLaughs(levels: Int = 9) -> String {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...levels {
            text +=
                "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        return text
    }

    func loadError(_ text: String, limits: YAMLLimits = YAMLLimits()) throws -> (Diagnostic, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(throws: Diagnostic.self) {
            try YAMLLoader.load(text, file: "test.yaml", limits: limits)
        }
        return (error, clock.now - start)
    }

    @Test("A billion laughs is rejected by the alias bound in level 4 of 9, before the rest is read")
    func billionLaughs() throws {
        let (error, elapsed) = try loadError(Self.billionLaughs())
        // l0 holds 11 nodes, l1 111, l2 1,111, l3 11,111. Levels 1 to 3 copy 12,330 nodes by alias; seven
        // *l3 of level 4 bring that to 90,107 and the eighth would make it 101,218: the load stops there,
        // so levels 5 to 9 (a billion nodes) are never expanded.
        #expect(
            error.message
                == "alias *l3 would bring the nodes copied by aliases in this document to 101218, "
                + "past the limit of 100000 (YAMLLimits.maxAliasExpansion)")
        #expect(error.location == SourceLocation(file: "test.yaml", line: 5, column: 45))
        #expect(error.notes.first?.location == SourceLocation(file: "test.yaml", line: 4, column: 5))
        #expect(elapsed < Self.hangGuard)
    }

    @Test("A billion laughs is rejected in bounded memory, measured in a test process of its own")
    func billionLaughsMemory() async throws {
        // The peak resident size belongs to the whole process, and other tests run beside this one: the
        // load is measured in a child run of the test binary that runs nothing else.
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let child = try await ChildRun.run(
            testBinary,
            ["--testing-library", "swift-testing", "--filter", "LimitsTests/childMeasuresBillionLaughsMemory"],
            environment: ProcessInfo.processInfo.environment.merging([memoryChildMarker: "1"]) { _, new in new })
        let text = child.stdout + child.stderr
        #expect(child.status == 0, "the child run said:\n\(text)")
        let prefix = "billion laughs: peak resident growth "
        let line = text.split(separator: "\n").first { $0.hasPrefix(prefix) }
        let growth = try #require(line.flatMap { Int($0.dropFirst(prefix.count)) }, "the child run said:\n\(text)")
        #expect(growth < 64 * 1024 * 1024)
    }

    /// Runs only inside the child started above, where no other test shares the process.
    @Test(
        "(child side) the billion laughs' peak resident growth",
        .enabled(if: ProcessInfo.processInfo.environment[memoryChildMarker] == "1", "runs only in a child process")
    )
    func childMeasuresBillionLaughsMemory() throws {
        let before = peakResidentBytes()
        let (error, _) = try loadError(Self.billionLaughs())
        #expect(error.message.contains("YAMLLimits.maxAliasExpansion"))
        print("billion laughs: peak resident growth \(peakResidentBytes() - before)")
    }

    @Test("A document of 100,000 aliases loads; one more alias is rejected with the count it would reach")
    func flatAliasExpansion() throws {
        let aliases = Array(repeating: "*a", count: 100_000).joined(separator: ", ")
        let clock = ContinuousClock()
        let start = clock.now
        let documents = try YAMLLoader.load("a: &a x\nb: [\(aliases)]\n", file: "test.yaml")
        #expect(documents.count == 1)
        #expect(clock.now - start < Self.hangGuard)
        let (error, elapsed) = try loadError("a: &a x\nb: [\(aliases), *a]\n")
        #expect(
            error.message
                == "alias *a would bring the nodes copied by aliases in this document to 100001, "
                + "past the limit of 100000 (YAMLLimits.maxAliasExpansion)")
        // The extra alias is the last thing in the document: "b: [" then 100,000 times "*a, ".
        #expect(error.location == SourceLocation(file: "test.yaml", line: 2, column: 5 + 100_000 * 4))
        #expect(elapsed < Self.hangGuard)
    }

    @Test("Aliases of collections count every node they copy")
    func collectionAliases() throws {
        var limits = YAMLLimits()
        limits.maxAliasExpansion = 10
        let text = "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n"
        _ = try YAMLLoader.load(text, file: "test.yaml", limits: limits)
        let (error, _) = try loadError("a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n", limits: limits)
        #expect(error.location == SourceLocation(file: "test.yaml", line: 2, column: 13))
        #expect(error.notes.first?.location == SourceLocation(file: "test.yaml", line: 1, column: 4))
    }

    @Test("Nesting deeper than the limit fails with the depth error, also through an alias")
    func depth() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let (error, _) = try loadError(deep)
        #expect(error.message == "nesting is deeper than the limit of 256 levels (YAMLLimits.maxDepth)")
        #expect(error.location?.column == 257)
        var limits = YAMLLimits()
        limits.maxDepth = 3
        _ = try YAMLLoader.load("a: &a [[x]]\n", file: "test.yaml", limits: limits)
        let (aliasError, _) = try loadError("a: &a [[x]]\nb: [*a]\n", limits: limits)
        #expect(aliasError.message.hasPrefix("alias *a nests deeper than the limit of 3 levels"))
    }

    @Test("Input over the size limit is rejected before parsing")
    func inputSize() throws {
        var limits = YAMLLimits()
        limits.maxInputBytes = 1024
        _ = try YAMLLoader.load(String(repeating: "#", count: 1024), file: "test.yaml", limits: limits)
        let (error, elapsed) = try loadError(String(repeating: "a", count: 10_000_000), limits: limits)
        #expect(
            error.message == "input is 10000000 bytes, more than the limit of 1024 bytes (YAMLLimits.maxInputBytes)")
        #expect(elapsed < Self.hangGuard)
    }

    @Test("Each bound has its own message")
    func distinctMessages() throws {
        var limits = YAMLLimits()
        limits.maxInputBytes = 10
        limits.maxDepth = 1
        limits.maxAliasExpansion = 1
        let size = try loadError("a: [[1]]\n# padding\n", limits: limits).0.message
        limits.maxInputBytes = 1000
        let depth = try loadError("a: [[1]]\n", limits: limits).0.message
        let alias = try loadError("- &a x\n- *a\n- *a\n", limits: limits).0.message
        #expect(Set([size, depth, alias]).count == 3)
    }
}
