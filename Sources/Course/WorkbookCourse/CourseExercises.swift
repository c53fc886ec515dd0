// The exercises of the course, in order. See Course.swift.

let courseExercises: [Exercise] = [
    Exercise(
        id: "02a", lesson: 2, title: "Two pages at once",
        task: "Fetch two pages concurrently on a pool and join them; errors come out unchanged.",
        folder: "02a-two-pages", file: "TwoPages.swift",
        check: ".init(fetchBoth: fetchBoth)",
        hints: [
            "Both fetches must be under way before you wait for either. Which call starts a task without waiting for it, and which one waits?",
            "`let a = try pool.submit { try fetch(first) }` returns a Future at once. `try a.result()` waits for that task and returns its value, or rethrows its error.",
            "Submit the first fetch, submit the second fetch, then `return try a.result() + \"\\n\" + b.result()`.",
        ]),
    Exercise(
        id: "02b", lesson: 2, title: "Receipts first, results later",
        task: "Hand out futures at once, read their states without waiting, then redeem them.",
        folder: "02b-receipts", file: "Receipts.swift",
        check: ".init(submitOrders: submitOrders, board: board, total: total)",
        hints: [
            "A future is a receipt: getting it must not wait for the work. Only `total` waits. And `board` reads each future's state as it is right now.",
            "`pool.submit { try price(order) }` gives a Future at once; `orders.map { ... }` keeps the order. In `board`, read `isCancelled`, `isDone` and `isRunning`. In `total`, `try receipt.result()`.",
            "`submitOrders`: `try orders.map { order in try pool.submit { try price(order) } }`. `board`: for each receipt, `if isCancelled { cancelled += 1 } else if isDone { finished += 1 } else if isRunning { running += 1 } else { waiting += 1 }`. `total`: add up `try receipt.result()`.",
        ]),
    Exercise(
        id: "03a", lesson: 3, title: "In order, as soon as possible",
        task: "Render pages concurrently and deliver them in page order, each as soon as it can be.",
        folder: "03a-in-order", file: "InOrder.swift",
        check: ".init(renderInOrder: renderInOrder)",
        hints: [
            "You need two things at once: results in input order, and each result handed over without waiting for the rest. One call of the pool gives you both.",
            "`let results = try pool.map(pages) { page in ... }` returns results in input order, lazily. `while let x = try results.next() { ... }` waits only for the next one. Let each task return its page number with the text.",
            "`let rendered = try pool.map(pages) { page in (page, try render(page)) }`, then `while let (page, text) = try rendered.next() { deliver(page, text) }`. An error comes out of `next()` on its own.",
        ]),
    Exercise(
        id: "03b", lesson: 3, title: "Tiny items, few tasks",
        task: "Multiply thousands of price/quantity pairs on a pool, in chunks: at most maxTasks tasks.",
        folder: "03b-chunked-totals", file: "ChunkedTotals.swift",
        check: ".init(lineTotals: lineTotals)",
        hints: [
            "If each task handles many lines, you need few tasks. How many lines must each take so that `maxTasks` tasks cover them all? Mind the empty invoice.",
            "`pool.map(zip(prices, quantities), chunkSize: size) { price, quantity in multiply(price, quantity) }`, collected with `try Array(...)`. For n lines and m tasks, `size` is n / m rounded up: `(n + m - 1) / m`, and never below 1.",
            "`let n = min(prices.count, quantities.count)`; `let size = max(1, (n + maxTasks - 1) / maxTasks)`; `return try Array(pool.map(zip(prices, quantities), chunkSize: size) { multiply($0, $1) })`.",
        ]),
    Exercise(
        id: "04a", lesson: 4, title: "The fastest mirror",
        task: "Download from every mirror at once and report each result the moment it arrives, with its mirror.",
        folder: "04a-fastest-mirror", file: "FastestMirror.swift",
        check: ".init(raceMirrors: raceMirrors)",
        hints: [
            "Reporting in the order of `mirrors` means waiting for a slow mirror while faster ones sit finished. Which function hands you futures in the order they finish?",
            "`asCompleted(futures)` yields each future as it finishes: `while let future = try completed.next() { ... }`. It gives futures, not mirrors: build a `[Future<Int>: String]` when you submit. `Result { try future.result() }` gives the outcome.",
            "`mirrorOf[try pool.submit { try download(mirror) }] = mirror` for each mirror; then loop over `asCompleted(mirrorOf.keys)`: `let outcome = Result { try future.result() }; report(mirrorOf[future]!, outcome)`, and remember the first mirror whose outcome is `.success`.",
        ]),
    Exercise(
        id: "05a", lesson: 5, title: "First good answer wins",
        task: "Query every replica, return the first successful answer at once, cancel the queued queries.",
        folder: "05a-first-good-answer", file: "FirstGoodAnswer.swift",
        check: ".init(firstGoodAnswer: firstGoodAnswer)",
        hints: [
            "The first future to finish may hold an error. Then you wait again, but only on those not done yet. And when you do have an answer, the queued queries are waste.",
            "`let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)`; for each done future, `try future.result()` in a do/catch. On success, `cancel()` every future in `notDone` and return. Keep a `[Future<Int>: String]` to know each future's replica.",
            "`var pending = Set(replicaOf.keys)`; `while !pending.isEmpty { let (done, notDone) = try wait(pending, returnWhen: .firstCompleted); for f in done { do { let v = try f.result(); notDone.forEach { $0.cancel() }; return Answer(replica: replicaOf[f]!, value: v) } catch { errors[replicaOf[f]!] = error } }; pending = notDone }`; then `throw AllReplicasFailed(errors: errors)`.",
        ]),
    Exercise(
        id: "05b", lesson: 5, title: "Fail fast",
        task: "Run every job; on the first failure, cancel the queued jobs and throw it with its job, without waiting.",
        folder: "05b-fail-fast", file: "FailFast.swift",
        check: ".init(runAllOrFailFast: runAllOrFailFast)",
        hints: [
            "Collecting results in order waits for the first job even when the second has already failed. You need a wait that ends at the first failure.",
            "`let (done, _) = try wait(futures, returnWhen: .firstException)`. Then look at the done futures in job order: `try future.exception()` is the error or `nil`. `zip(jobs, futures)` pairs each job with its future.",
            "After the wait: `for (job, future) in zip(jobs, futures) where done.contains(future) { if let error = try future.exception() { futures.forEach { $0.cancel() }; throw JobFailed(job: job, error: error) } }`, then `return try futures.map { try $0.result() }`.",
        ]),
    Exercise(
        id: "06a", lesson: 6, title: "A progress counter fed by callbacks",
        task: "Count futures as they finish (succeeded, failed, cancelled) from done-callbacks, safely from many threads.",
        folder: "06a-progress-counter", file: "ProgressCounter.swift",
        check: ".init(counterType: ProgressCounter.self)",
        hints: [
            "Nobody waits on the futures: they tell you. And they tell you on many threads at once, so the counts need a lock, and nobody may be called while you hold it.",
            "Keep `LockedValue<BatchProgress>`. In `track`, `future.addDoneCallback { future in ... }`: there, `future.isCancelled` and `try? future.exception()` tell the three cases apart. Count and copy the new progress in one `withLock`, then call `onChange(copy)` after it.",
            "`let snapshot = counts.withLock { p in if future.isCancelled { p.cancelled += 1 } else if failed { p.failed += 1 } else { p.succeeded += 1 }; return p }`, where `failed = (try? future.exception()) != nil` (read before, outside the lock); then `onChange(snapshot)`. `progress` is `counts.withLock { $0 }`.",
        ]),
    Exercise(
        id: "07a", lesson: 7, title: "Successes and failures, each with its input",
        task: "Parse every line on a pool; return what parsed and what failed, each with its line and its own error.",
        folder: "07a-successes-and-failures", file: "SuccessesAndFailures.swift",
        check: ".init(parseAll: parseAll)",
        hints: [
            "`map` stops at the first error: you would lose every line after it. Each line needs its own future, so that each error stays with its line.",
            "`let futures = try lines.map { line in try pool.submit { try parse(line) } }`. Then `zip(lines, futures)`: for each pair, `try future.result()` inside do/catch. The `error` in the catch is the task's very error.",
            "`for (line, future) in zip(lines, futures) { do { report.parsed.append(Parsed(line: line, value: try future.result())) } catch { report.failed.append(ParseFailure(line: line, error: error)) } }`.",
        ]),
    Exercise(
        id: "08a", lesson: 8, title: "Keep what finished in time",
        task: "Fetch everything at once; at the deadline keep what arrived, list the rest as late, cancel what never started.",
        folder: "08a-deadline", file: "FetchWithDeadline.swift",
        check: ".init(fetchAll: fetchAll)",
        hints: [
            "The deadline is for the whole page. Waiting on each fetch with its own time-out can add the time-outs up. Which wait takes all the futures and one time-out?",
            "`let (done, notDone) = try wait(futures, timeout: deadline)`: running out of time is not an error, you just get the two sets. Then walk `zip(urls, futures)`: `notDone` ones are late (cancel them); for the others, `try future.result()` in a do/catch.",
            "After the wait: `for (url, future) in zip(urls, futures) { if notDone.contains(future) { future.cancel(); report.late.append(url) } else { do { report.pages[url] = try future.result() } catch { report.failures[url] = error } } }`.",
        ]),
    Exercise(
        id: "09a", lesson: 9, title: "Stop the search",
        task: "Search shards concurrently; once one searcher finds the target, stop the others (cooperatively) and cancel the rest.",
        folder: "09a-stop-the-search", file: "StopTheSearch.swift",
        check: ".init(findFirst: findFirst)",
        hints: [
            "`cancel()` only stops tasks that have not started. The running searchers must notice for themselves that they can stop: what could they all look at?",
            "A shared `LockedValue(false)`: the task that finds the target sets it before returning; every task reads it before each `isTarget` call and returns `nil` if it is set. Then wait in rounds with `wait(pending, returnWhen: .firstCompleted)` until a search returns a `Found`.",
            "In each task: `for (index, item) in items.enumerated() { if stop.withLock({ $0 }) { return nil }; if isTarget(item) { stop.withLock { $0 = true }; return Found(shard: shard, index: index) } }; return nil`. Outside: loop `wait(..., .firstCompleted)`; when a done search's `result()` is non-nil, cancel the others and return it.",
        ]),
    Exercise(
        id: "10a", lesson: 10, title: "A service that owns its pool",
        task: "A long-lived service with its own named, warmed-up pool; close waits and frees the threads, abort cancels the queue.",
        folder: "10a-service", file: "ResizeService.swift",
        check: ".init(serviceType: ResizeService.self)",
        hints: [
            "The pool's constructor already knows how to name threads and run something once per thread; `shutdown` knows how to wait and how to cancel. The service mostly wires them up, and translates the pool's errors.",
            "`ThreadPoolExecutor(maxWorkers: maxWorkers, threadNamePrefix: name, initializer: warmUp)`. `close()` is `shutdown(wait: true)`, `abort()` adds `cancelFutures: true`. In `submit`, `catch is ShutdownError` and `catch let broken as BrokenThreadPool`.",
            "`submit`: `do { return try pool.submit { try resize(image) } } catch is ShutdownError { throw ServiceUnavailable.closed } catch let broken as BrokenThreadPool { throw ServiceUnavailable.broken(broken.underlyingError ?? broken) }`.",
        ]),
    Exercise(
        id: "11a", lesson: 11, title: "Primes on a process pool",
        task: "Write a registered ProcessTask and count primes in blocks, one call per block, in worker processes.",
        folder: "11a-primes", file: "ProcessPrimes.swift",
        check: ".init(tasks: primeTasks, worker: worker, countInBlock: { try CountPrimesInBlock.run(PrimeBlock(lower: $0, upper: $1)) }, countPrimes: countPrimes)",
        workerTasks: "primeTasks",
        hints: [
            "Two pieces: what one worker process does with one block (plain Swift, no pool in it), and how the parent cuts the range into blocks and hands them out.",
            "In `run`: `(block.lower..<block.upper).count(where: isPrime)`. In `countPrimes`: `stride(from: 0, to: limit, by: blockSize)` gives each block's lower end; the upper end is `min(lower + blockSize, limit)`. Then `try pool.map(CountPrimesInBlock.self, blocks)` and add up what `next()` returns.",
            "`guard blockSize >= 1 else { throw InvalidArgumentError(\"blockSize must be at least 1\") }`; `let blocks = stride(from: 0, to: limit, by: blockSize).map { PrimeBlock(lower: $0, upper: min($0 + blockSize, limit)) }`; `let counts = try pool.map(CountPrimesInBlock.self, blocks)`; `var total = 0; while let c = try counts.next() { total += c }; return total`.",
        ]),
    Exercise(
        id: "12a", lesson: 12, title: "Fix the deadlocking pipeline",
        task: "A pipeline whose tasks wait for tasks of the same pool deadlocks: make it finish on any pool.",
        folder: "12a-deadlock", file: "PipelineDeadlock.swift",
        check: ".init(runPipeline: runPipeline)",
        hints: [
            "A parse task holds a worker while it waits for its index task, which is queued behind other parse tasks. Who else could do that waiting, without holding a worker?",
            "Two ways: let the calling thread (not a worker) wait for each parse, then submit the index; or chain the second stage with `parsed.addDoneCallback { ... }`, which submits the index task when the parse is done, without waiting.",
            "Simplest: `let parsed = try documents.map { d in try pool.submit { try parse(d) } }`; `let indexed = try parsed.map { f in let words = try f.result(); return try pool.submit { try index(words) } }`; `return try indexed.map { try $0.result() }`. Only the caller waits.",
        ]),
    Exercise(
        id: "12b", lesson: 12, title: "Fix the racy counter",
        task: "Remove @unchecked Sendable from a racy statistics class and make it safe, then serve requests concurrently.",
        folder: "12b-racy-counter", file: "RacyStats.swift",
        check: ".init(statsType: UsageStats.self, serveAll: { try serveAll($0, on: $1, stats: $2 as! UsageStats, serve: $3) })",
        hints: [
            "Remove `@unchecked` and read what the compiler says about the two `var`s. What could hold them so that every access goes through a lock?",
            "`private let counts = LockedValue(UsageSnapshot(requests: 0, bytes: 0))`: `record` changes both inside one `counts.withLock { ... }`, `snapshot` is `counts.withLock { $0 }`. In `serveAll`, submit one task per size, then `wait(futures)`, then `try result()` on each.",
            "`record`: `counts.withLock { $0.requests += 1; $0.bytes += count }`. `serveAll`: `let served = try sizes.map { size in try pool.submit { try stats.record(bytes: serve(size)) } }; _ = try wait(served); for f in served { try f.result() }`.",
        ]),
    Exercise(
        id: "13a", lesson: 13, title: "A monitored executor",
        task: "Wrap an executor and count submitted, running, completed, failed and cancelled tasks, exactly and on time.",
        folder: "13a-monitored-pool", file: "MonitoredExecutor.swift",
        check: ".init(executorType: MonitoredExecutor.self)",
        hints: [
            "You cannot change the base executor, but you decide what closure it runs: yours, which counts and then calls the task. Cancelled tasks never run your closure, though.",
            "`base.submit { state.withLock { $0.running += 1 }; do { let v = try task(); state.withLock { ... completed }; return v } catch { state.withLock { ... failed }; throw error } }`. Count `submitted` before (undo it if `base.submit` throws). `future.addDoneCallback { if $0.isCancelled { ... } }` for cancelled.",
            "Before: `state.withLock { $0.submitted += 1 }`. Then `do { future = try base.submit { wrapped } } catch { state.withLock { $0.submitted -= 1 }; throw error }`; in the wrapper, `running -= 1` together with `completed += 1` (or `failed += 1`) in one `withLock`. After: the cancel callback; `return future`.",
        ]),
    Exercise(
        id: "13b", lesson: 13, title: "Bounded batches (back-pressure)",
        task: "Process a huge lazy stream on a pool with at most maxInFlight records in flight; stop at the first error.",
        folder: "13b-back-pressure", file: "BackPressure.swift",
        check: ".init(processStream: { try processStream($0, on: $1, maxInFlight: $2, process: $3) })",
        hints: [
            "Never read a record you cannot submit yet. When maxInFlight futures are unfinished, the next read must wait for one of them.",
            "`var it = records.makeIterator()` and a `Set<Future<Int>>` in flight. Before each `it.next()`, if the set is full, `let (done, notDone) = try wait(inFlight, returnWhen: .firstCompleted)`, add up the done ones (`try f.result()` rethrows an error), keep `notDone`.",
            "`while true { if inFlight.count >= maxInFlight { let (done, notDone) = try wait(inFlight, returnWhen: .firstCompleted); inFlight = notDone; for f in done { sum += try f.result() } }; guard let r = it.next() else { break }; inFlight.insert(try pool.submit { try process(r) }) }`, then wait for the rest and add them.",
        ]),
    Exercise(
        id: "14a", lesson: 14, title: "The concurrent word counter",
        task: "Count the words of a folder of text files concurrently, merge, rank the top 10; bad files are reported, not fatal.",
        folder: "14a-word-counter", file: "WordCounter.swift",
        check: ".init(countWords: { try countWords(inFolder: $0, maxWorkers: $1, readFile: $2) })",
        hints: [
            "Three phases: list the files (on the caller), count each file (in a task: read, check UTF-8, split), merge and rank (on the caller). A bad file is one failed future among many.",
            "`withThreadPool(maxWorkers:) { pool in ... }`; one `pool.submit` per file returning that file's `[String: Int]`; `String(validating: bytes, as: UTF8.self)` gives nil for bad bytes: throw an error of your own then. Collect with `zip(names, futures)` and do/catch; `merged.merge(counts, uniquingKeysWith: +)`.",
            "Rank: `merged.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)`. For problems: `catch is NotUTF8 { reason \"not valid UTF-8\" } catch { reason String(describing: error) }`; sort the file names first and the problems come out sorted.",
        ]),
    Exercise(
        id: "14b", lesson: 14, title: "A polite link checker",
        task: "Check links concurrently, each once, in order, with at most perHostLimit requests per host at once.",
        folder: "14b-link-checker", file: "LinkChecker.swift",
        check: ".init(checkLinks: checkLinks)",
        hints: [
            "The pool limits how many requests run in all, not per host. Something else must keep a host from getting more than its share: what if each task handled several links of one host, one after the other?",
            "Deduplicate (a `Set` of seen links), group with `Dictionary(grouping: distinct, by: host(of:))`, deal each host's links into `min(perHostLimit, count)` lanes, submit one task per lane returning `[LinkResult]`; then map the input links to their results through a dictionary.",
            "Per host: `var lanes = Array(repeating: [String](), count: n); for (i, link) in hostLinks.enumerated() { lanes[i % n].append(link) }`. A lane's task: `lane.map { link in LinkResult(link: link, outcome: (try? ...)) }` with do/catch giving `.status(code)` or `.failed(String(describing: error))`.",
        ]),
    Exercise(
        id: "15a", lesson: 15, title: "An async API over a pool",
        task: "Wrap pool work in an async function that never blocks its thread and cancels the queued job when its Task is cancelled.",
        folder: "15a-async-wrapper", file: "AsyncRender.swift",
        check: ".init(renderAsync: renderAsync)",
        hints: [
            "Submitting is the same as ever; the difference is how you wait. Async code must suspend, not block. And something must cancel the future when the caller gives up.",
            "`try await future.value` suspends until the future is done. `withTaskCancellationHandler { try await future.value } onCancel: { future.cancel() }` cancels the job when the Task is cancelled.",
            "`let future = try pool.submit { try render(page) }; return try await withTaskCancellationHandler { try await future.value } onCancel: { future.cancel() }`.",
        ]),
    Exercise(
        id: "15b", lesson: 15, title: "The same jobs with a TaskGroup",
        task: "Run async jobs in a task group with at most `limit` at once, results in input order, the first error cancelling the rest.",
        folder: "15b-task-group", file: "TaskGroupJobs.swift",
        check: ".init(runWithTaskGroup: runWithTaskGroup)",
        hints: [
            "A task group has no maxWorkers: start only `limit` child tasks, and start the next one each time one finishes. Child tasks finish in any order, so each must say which input it was.",
            "`withThrowingTaskGroup(of: (Int, Int).self) { group in ... }`: `group.addTask { (index, try await job(input)) }` for the first `limit` inputs; then `while let (index, value) = try await group.next() { results[index] = value; add the next input if any }`.",
            "Keep `var next = 0` and `var results = [Int?](repeating: nil, count: inputs.count)`; add tasks while `next < min(limit, inputs.count)`; in the `while let` loop add one more if `next < inputs.count`; return `results.map { $0! }`. A throwing `next()` leaves the closure and the group cancels the rest.",
        ]),
]
