import Testing

@testable import Runner

@Suite("Probe schedule")
struct ProbeScheduleTests {
    @Test("probes come fast at first, then back off to one a second")
    func delays() {
        let schedule = ProbeSchedule()
        let delays = (0..<8).map { schedule.delay(afterTry: $0) }
        #expect(
            delays.prefix(5) == [
                .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
            ])
        #expect(delays.dropFirst(5).allSatisfy { $0 == .seconds(1) })
    }

    @Test("each try gets at least two seconds, growing to five, for a loaded machine")
    func timeouts() {
        let schedule = ProbeSchedule()
        #expect(schedule.timeout(forTry: 0) == .seconds(2))
        #expect(schedule.timeout(forTry: 3) == .seconds(3))
        #expect(schedule.timeout(forTry: 100) == .seconds(5))
    }
}
