import Diagnostics
import Foundation
import Testing
import YAMLDocument

/// Peak resident memory of this process, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

@Suite("Bounds on hostile input")
struct LimitsTests {
    /// Generous: a sanity check that the bound trips early, not a benchmark.
    static let wallClockGuard = Duration.seconds(1)

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

    @Test("A billion laughs fails fast, in bounded memory, with the alias error")
    func billionLaughs() throws {
        let before = peakResidentBytes()
        let (error, elapsed) = try loadError(Self.billionLaughs())
        #expect(error.message.contains("YAMLLimits.maxAliasExpansion"))
        #expect(elapsed < Self.wallClockGuard)
        #expect(peakResidentBytes() - before < 64 * 1024 * 1024)
    }

    @Test("A document of 100,000 aliases loads; one more alias is rejected in under a second")
    func flatAliasExpansion() throws {
        let aliases = Array(repeating: "*a", count: 100_000).joined(separator: ", ")
        let clock = ContinuousClock()
        let start = clock.now
        let documents = try YAMLLoader.load("a: &a x\nb: [\(aliases)]\n", file: "test.yaml")
        #expect(documents.count == 1)
        #expect(clock.now - start < Self.wallClockGuard * 5)
        let (error, elapsed) = try loadError("a: &a x\nb: [\(aliases), *a]\n")
        #expect(error.message.contains("100001, past the limit of 100000"))
        #expect(elapsed < Self.wallClockGuard)
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
        #expect(elapsed < Self.wallClockGuard)
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
