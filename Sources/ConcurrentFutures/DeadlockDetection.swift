/// Every blocking wait of the library sleeps through this function.
///
/// Usually it just sleeps on the waiter. But when the sleeper is a worker of a thread pool, waits
/// without a timeout, and every future it waits for belongs to that same pool, the worker may
/// be part of a deadlock: if *all* the pool's workers end up waiting like this, no task of the
/// pool can ever finish (queued tasks need a free worker; running ones are run by the waiting
/// workers). Then the worker tells its pool it is blocked, sleeps in short slices, and after
/// each slice asks the pool whether every worker has been blocked this way for a while
/// (`ThreadPoolExecutor.Core.deadlockGracePeriod`). If so, the wait throws `DeadlockError`;
/// the task usually fails with it, its future completes, and the pool can move again.
///
/// - Returns: the notifications, as `FutureWaiter.takeNotifications` does (empty on timeout).
func sleep(
    on waiter: FutureWaiter,
    until deadline: Deadline?,
    awaiting awaitedOrigins: @autoclosure () -> [TaskOrigin?]
) throws -> [(token: Int, completion: Completion)] {
    // Cheap checks first: the awaited futures' origins are only worth collecting when the
    // sleeper is a worker of a pool that watches for deadlocks.
    guard deadline == nil,
          let worker = WorkerThread.current,
          worker.pool.detectsDeadlocks
    else {
        return waiter.takeNotifications(until: deadline)
    }
    let origins = awaitedOrigins()
    guard !origins.isEmpty, origins.allSatisfy({ $0?.pool === worker.pool.identity }) else {
        return waiter.takeNotifications(until: deadline)
    }

    let pool = worker.pool
    pool.workerWillBlock(worker, awaiting: origins.compactMap { $0 })
    defer { pool.workerDidUnblock(worker) }
    while true {
        let slice = Deadline.now.advanced(by: ThreadPoolExecutor.Core.deadlockCheckInterval)
        let notifications = waiter.takeNotifications(until: slice)
        if !notifications.isEmpty { return notifications }
        if let deadlock = pool.deadlock(seenBy: worker) { throw deadlock }
    }
}
