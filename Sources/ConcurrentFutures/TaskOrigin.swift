/// Where a future's task comes from: which pool and which task. Executors set it when they
/// create a future; a future made with `Future()` has none.
///
/// Deadlock detection uses it to tell whether a worker waits for tasks of its own pool, and
/// error reports use it to say which task an error belongs to.
struct TaskOrigin: Sendable, CustomStringConvertible {
    /// The pool, by identity.
    let pool: PoolIdentity
    /// 0, 1, 2, ... in submission order.
    let taskID: Int
    let label: String?

    var description: String { "\(taskID.taskName(label: label)) of \(pool.name)" }
}

/// A pool's name, shared by all of its futures; its object identity identifies the pool.
final class PoolIdentity: Sendable {
    let name: String
    init(name: String) { self.name = name }
}

extension Int {
    /// "task 3" or "task 3 ("page 3")": how messages name a task.
    func taskName(label: String?) -> String {
        "task \(self)\(label.map { " (\"\($0)\")" } ?? "")"
    }
}
