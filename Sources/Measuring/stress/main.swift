// `swift run -c release stress`: the reliability suite at full size.
//
//   swift run -c release stress            8 threads × 100,000 tasks, 400 bursts of map, then
//                                          the memory checks
//   swift run -c release stress --quick    8 threads × 10,000 tasks, 50 bursts
//   swift run -c release stress --memory   the memory checks only (the tests run this, in a
//                                          process of its own, where resident memory means something)
//
// Prints one summary line per check, with the figures each verdict is made of, and exits
// non-zero if any property failed.
//
// Two options, not in the usage, make the memory check see a fault on purpose; the tests use
// them to show that the check catches a leak and is not fooled by a one-off step:
//   --leak-bytes-per-task N   every task leaks N bytes
//   --one-off-step-mib N      N MiB are allocated once, half-way through, and kept
import Foundation
import Reliability

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("stress: \(message)\nusage: stress [--quick] [--memory]\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
/// Removes `--name N` from `arguments` and returns N (0 when absent).
func takeCount(_ name: String, from arguments: inout [String]) -> Int {
    guard let index = arguments.firstIndex(of: name) else { return 0 }
    guard index + 1 < arguments.count, let value = Int(arguments[index + 1]), value >= 0 else {
        fail("\(name) needs a number of 0 or more")
    }
    arguments.removeSubrange(index...index + 1)
    return value
}
let faults = MemoryFaults(
    leakBytesPerTask: takeCount("--leak-bytes-per-task", from: &arguments),
    oneOffStepBytes: takeCount("--one-off-step-mib", from: &arguments) * 1_048_576)
let known: Set = ["--quick", "--memory", "--help", "-h"]
if let unknown = arguments.first(where: { !known.contains($0) }) {
    fail("unknown option '\(unknown)'")
}
if arguments.contains("--help") || arguments.contains("-h") {
    print("usage: stress [--quick] [--memory]\n  the reliability suite: a stress run of the thread pool, then memory checks")
    exit(0)
}
let quick = arguments.contains("--quick")

var stressPassed = true
if !arguments.contains("--memory") {
    let stress = runStress(StressConfiguration(tasksPerSubmitter: quick ? 10_000 : 100_000))
    print(stress)
    let bursts = runBursts(rounds: quick ? 50 : 400)
    print(bursts)
    stressPassed = stress.passed && bursts.passed
}

if runningUnderSanitizer {
    print("memory: skipped (a sanitizer is active, and resident memory then says nothing about leaks) — SKIP")
    exit(stressPassed ? 0 : 1)
}
let memory = try measureMemory(
    batches: 16, tasksPerBatch: quick ? 10_000 : 100_000, pendingFutures: quick ? 20_000 : 200_000, faults: faults)
print(memory)
// Flat: a typical batch after the warm-up adds less than 8 bytes per task (see MemoryGrowth).
let growth = memory.growth
let verdict = String(format: "%.2f bytes per task (a leak: %.0f or more)", growth.bytesPerTask, MemoryGrowth.leakThreshold)
print(growth.isFlat ? "memory: flat, \(verdict) — PASS" : "memory: grows, \(verdict) — FAIL")
exit(stressPassed && growth.isFlat ? 0 : 1)
