import Testing

@testable import LessonSupport

@Suite("Stopwatch")
struct StopwatchTests {
    @Test("durations are shown in the unit that suits them",
          arguments: [
              (Duration.seconds(1.234), "1.23 s"),
              (.seconds(12), "12.00 s"),
              (.milliseconds(45.6), "45.6 ms"),
              (.milliseconds(300), "300.0 ms"),
              (.microseconds(999_960), "1.00 s"),
              (.microseconds(12), "12 µs"),
              (.microseconds(12.4), "12 µs"),
              (.microseconds(999.96), "1.0 ms"),
              (.nanoseconds(800), "800 ns"),
              (.zero, "0 ns"),
              (.milliseconds(-5), "-5.0 ms"),
          ])
    func format(duration: Duration, expected: String) {
        #expect(Stopwatch.format(duration) == expected)
        #expect(duration.readable == expected)
    }

    @Test("measure returns the result and a plausible duration")
    func measure() {
        let (value, duration) = Stopwatch.measure { () -> Int in
            let end = ContinuousClock.now + .milliseconds(20)
            while ContinuousClock.now < end {}
            return 42
        }
        #expect(value == 42)
        #expect(duration >= .milliseconds(20))
        #expect(duration < .seconds(2))
    }

    @Test("speed-ups have one decimal")
    func speedUp() {
        #expect(Stopwatch.speedUp(from: .seconds(3), to: .milliseconds(310)) == "9.7×")
        #expect(Stopwatch.speedUp(from: .seconds(1), to: .seconds(1)) == "1.0×")
        #expect(Stopwatch.speedUp(from: .seconds(1), to: .zero) == "∞×")
    }

    @Test("conversions to seconds and milliseconds")
    func conversions() {
        #expect(Duration.milliseconds(1_500).inSeconds == 1.5)
        #expect(Duration.microseconds(2_500).inMilliseconds == 2.5)
    }

    @Test("process CPU time moves forward while computing")
    func cpuTime() {
        let before = Stopwatch.processCPUTime()
        let end = ContinuousClock.now + .milliseconds(30)
        while ContinuousClock.now < end {}
        #expect(Stopwatch.processCPUTime() - before >= .milliseconds(10))
    }
}
