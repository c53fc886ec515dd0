// The worker program of the process pool tests, and a small benchmark of the pool.
//
//   swift test --filter ProcessPool      the tests start this program as their workers
//   swift run -c release ProcessPoolWorker benchmark all
//                                        measures start-up, map throughput and CPU-bound
//                                        speed-up (python/compare_process_pools.py runs it
//                                        next to CPython's ProcessPoolExecutor)
import ConcurrentFutures
import SystemPlatform
import ProcessPoolTestTasks

// A deliberate mistake, for one test: started with this argument, the program skips the
// worker hook and goes straight to creating a pool, as a program that forgot the hook would.
if CommandLine.arguments.dropFirst().first == "create-a-pool-without-the-hook" {
    do {
        _ = try ProcessPoolExecutor(tasks: processPoolTestTasks)
        print("created a pool")
    } catch {
        print(error)
    }
    exit(0)
}

// The entry-point guard, first thing: when a pool started this program as a worker, this call
// serves the pool's calls and never returns. Python: `if __name__ == "__main__":`.
ProcessPoolExecutor.runWorkerIfRequested(tasks: processPoolTestTasks)

// Not a worker: the program's own code.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "benchmark" {
    try runBenchmarks(Array(arguments.dropFirst()))
} else {
    print("""
        ProcessPoolWorker: the worker program of the process pool tests.
        usage: ProcessPoolWorker benchmark [startup|throughput|cpu|all] [--rounds N] [--chunk N] [--pipelined] [--json]
          --chunk N      throughput at this chunk size only
          --pipelined    map with a bufferSize, which encodes each chunk as it submits it, so the
                         workers start at once (without it, map encodes every input first)
        """)
}
