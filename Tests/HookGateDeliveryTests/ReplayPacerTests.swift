import Foundation
import Testing

@testable import HookGateDelivery

@Suite("Replay pacing")
struct ReplayPacerTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("no one-second window ever holds more than the rate, however the sends are spread")
    func window() {
        var pacer = ReplayPacer(rate: 5)
        #expect(pacer.allowance(now: start) == 5)
        pacer.record(3, now: start)
        #expect(pacer.allowance(now: start) == 2)
        pacer.record(2, now: start.addingTimeInterval(0.4))
        #expect(pacer.allowance(now: start.addingTimeInterval(0.9)) == 0)
        #expect(pacer.nextStart == start.addingTimeInterval(1))
        // The first three leave the window after a second, the other two 0.4 s later.
        #expect(pacer.allowance(now: start.addingTimeInterval(1)) == 3)
        #expect(pacer.allowance(now: start.addingTimeInterval(1.4)) == 5)

        // A simulation: whenever asked, take all that is allowed; then check every window of one second.
        var simulated = ReplayPacer(rate: 7)
        var sends: [Double] = []
        var clock = 0.0
        while clock < 10 {
            let now = start.addingTimeInterval(clock)
            let allowed = simulated.allowance(now: now)
            simulated.record(allowed, now: now)
            sends += Array(repeating: clock, count: allowed)
            clock += 0.013
        }
        for (index, time) in sends.enumerated() {
            #expect(sends[index...].prefix { $0 < time + 1 }.count <= 7)
        }
        #expect(sends.count >= 7 * 10 - 7, "and the pace is used: about the rate per second")
    }
}
