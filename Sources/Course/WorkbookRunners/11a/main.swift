// The check runner of exercise 11a: `swift run workbook check 11a` builds and starts it.
// It is also the program of the process pool's workers: the pool starts it again, and the
// hook below turns that run into a worker (Python's `if __name__ == "__main__":`).
import ConcurrentFutures
import Exercise11a
import WorkbookChecks

ProcessPoolExecutor.runWorkerIfRequested(tasks: primeTasks)

WorkbookRunner.main(Check11a.self, .init(
    tasks: primeTasks,
    worker: .current,
    countInBlock: { lower, upper in try CountPrimesInBlock.run(PrimeBlock(lower: lower, upper: upper)) },
    countPrimes: countPrimes
))
