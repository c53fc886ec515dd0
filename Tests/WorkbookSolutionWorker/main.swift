// The worker program of the solution of exercise 11a, for the tests: under `swift test` the
// running program is the test runner, which cannot serve as a process pool's worker, so the
// pool starts this program (built next to the test runner) instead.
import ConcurrentFutures
import Solutions

ProcessPoolExecutor.runWorkerIfRequested(tasks: primeTasks)
print("WorkbookSolutionWorker: a process pool starts this program as its worker; it does nothing on its own.")
