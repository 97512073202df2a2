import Testing

@testable import Runner

@Suite("Probe schedule")
struct ProbeScheduleTests {
    @Test("probes come every 10 ms for a second, every 25 ms until the third, then back off to one a second")
    func delays() {
        let schedule = ProbeSchedule()
        #expect(schedule.delay(afterWaiting: .zero) == .milliseconds(10))
        #expect(schedule.delay(afterWaiting: .milliseconds(999)) == .milliseconds(10))
        #expect(schedule.delay(afterWaiting: .seconds(1)) == .milliseconds(25))
        #expect(schedule.delay(afterWaiting: .milliseconds(2999)) == .milliseconds(25))
        #expect(schedule.delay(afterWaiting: .seconds(3)) == .milliseconds(300))
        #expect(schedule.delay(afterWaiting: .seconds(6)) == .milliseconds(600))
        #expect(schedule.delay(afterWaiting: .seconds(60)) == .seconds(1))
        #expect(schedule.watchEvery == .milliseconds(250))
    }

    @Test("sandboxes waiting together share the probe rate: sixteen probe every 40 ms each")
    func sharedBudget() {
        let schedule = ProbeSchedule()
        #expect(schedule.delay(afterWaiting: .zero, waiters: 2) == .milliseconds(10))
        #expect(schedule.delay(afterWaiting: .zero, waiters: 16) == .milliseconds(40))
        #expect(schedule.delay(afterWaiting: .seconds(2), waiters: 16) == .milliseconds(40))
        #expect(schedule.delay(afterWaiting: .seconds(2), waiters: 4) == .milliseconds(25))
        #expect(schedule.delay(afterWaiting: .seconds(60), waiters: 16) == .seconds(1))
    }

    @Test("each try gets at least two seconds, growing to five, for a loaded machine")
    func timeouts() {
        let schedule = ProbeSchedule()
        #expect(schedule.timeout(forTry: 0) == .seconds(2))
        #expect(schedule.timeout(forTry: 3) == .seconds(3))
        #expect(schedule.timeout(forTry: 100) == .seconds(5))
    }
}
