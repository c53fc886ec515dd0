// `swift run -c release stress`: the reliability suite at full size.
//
//   swift run -c release stress            8 threads × 100,000 tasks, then the memory checks
//   swift run -c release stress --quick    8 threads × 10,000 tasks
//   swift run -c release stress --memory   the memory checks only (the tests run this, in a
//                                          process of its own, where resident memory means something)
//
// Prints one summary line per check and exits non-zero if any property failed.
import Foundation
import Reliability

let arguments = Array(CommandLine.arguments.dropFirst())
let known: Set = ["--quick", "--memory", "--help", "-h"]
if let unknown = arguments.first(where: { !known.contains($0) }) {
    FileHandle.standardError.write(Data("stress: unknown option '\(unknown)'\nusage: stress [--quick] [--memory]\n".utf8))
    exit(2)
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
    stressPassed = stress.passed
}

if runningUnderSanitizer {
    print("memory: skipped (a sanitizer is active, and resident memory then says nothing about leaks) — SKIP")
    exit(stressPassed ? 0 : 1)
}
let memory = try measureMemory(batches: 10, tasksPerBatch: quick ? 10_000 : 100_000, pendingFutures: quick ? 20_000 : 200_000)
print(memory)
// Flat: after the first three batches (allocator warm-up), resident memory grows by less
// than 4 MiB over the remaining seven. A leak of even 40 bytes a task would add 28 MiB.
let memoryFlat = memory.growthAfterWarmUp < 4 * 1_048_576
print(memoryFlat ? "memory: flat — PASS" : "memory: grows — FAIL")
exit(stressPassed && memoryFlat ? 0 : 1)
