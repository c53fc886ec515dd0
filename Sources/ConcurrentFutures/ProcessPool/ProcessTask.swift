/// A function that a `ProcessPoolExecutor` can run in a worker process: a name, an encodable
/// input, an encodable output.
///
/// A closure cannot be sent to another process: it is code plus captured memory, and the other
/// process has neither. What *can* cross the boundary is a name and some bytes. So a task is a
/// type with a name, and both programs (the parent and its workers, usually the same
/// executable) know which function that name stands for. The input and the output travel as
/// bytes (see `BinaryEncoder`).
///
/// Python has the same rule: `ProcessPoolExecutor` pickles the function *by its qualified
/// name* and the arguments by value, so only module-level functions and picklable arguments
/// can be submitted (a lambda raises `PicklingError`).
///
///     # Python
///     def square(x):                       # a module-level function: picklable by name
///         return x * x
///     pool.submit(square, 7)
///
///     // Swift
///     enum Square: ProcessTask {
///         static func run(_ x: Int) -> Int { x * x }
///     }
///     try pool.submit(Square.self, 7)
///
/// Register every task type twice: with the worker hook at the top of the program
/// (`ProcessPoolExecutor.runWorkerIfRequested(tasks:)`), so the worker can look the name up,
/// and with the pool (`ProcessPoolExecutor(tasks:)`), so the parent rejects unknown tasks at
/// the call instead of in the worker. One shared list keeps the two in step:
///
///     let tasks: [any ProcessTask.Type] = [Square.self, CountPrimes.self]
///
/// (`SendableMetatype`: the pool's threads use the task type, `T.self`, to decode its outputs,
/// so the type itself must be usable from any thread; a plain `enum` or `struct` is.)
public protocol ProcessTask: SendableMetatype {
    /// What the task receives; encoded and sent to the worker.
    associatedtype Input: Codable & Sendable
    /// What the task returns; encoded and sent back to the parent.
    associatedtype Output: Codable & Sendable

    /// The name the task is registered and sent under. By default the type's name
    /// (`"Square"`); two registered tasks must not share a name.
    static var name: String { get }

    /// Runs the task. This is called in a worker process: whatever it changes in memory stays
    /// in that process. An error it throws comes back to the parent as a `RemoteTaskError`
    /// carrying the error's type name and description.
    static func run(_ input: Input) throws -> Output
}

extension ProcessTask {
    /// The type's own name, e.g. `"Square"`.
    public static var name: String { String(describing: Self.self) }
}

/// The initializer of a process pool: a registered task that each worker process runs once,
/// before its first task. Its output is thrown away; what it sets up stays in the worker's
/// memory (a global, guarded by a `Mutex`) for the tasks that follow.
///
/// Python: `ProcessPoolExecutor(initializer=fn, initargs=(...))`. In Python, too, the
/// initializer must be picklable (a module-level function), because it runs in the child.
///
///     enum LoadWordList: ProcessTask {
///         static func run(_ path: String) throws -> Bool { try loadWords(from: path); return true }
///     }
///     let pool = try ProcessPoolExecutor(
///         tasks: [LoadWordList.self, CheckSpelling.self],
///         initializer: .task(LoadWordList.self, "/usr/share/dict/words"))
///
/// If the initializer throws in a worker, the pool becomes broken: its futures fail with
/// `BrokenProcessPool` and every later `submit` throws it.
public struct ProcessInitializer: Sendable {
    /// The name of the task that initializes.
    let taskName: String
    /// Which type that is, to check that the pool registered this very type.
    let taskType: ObjectIdentifier
    /// The input for the task; encoded when the pool is created.
    let input: any Encodable & Sendable

    /// Runs `task` with `input` once in every worker process, before it takes any work.
    public static func task<T: ProcessTask>(_ task: T.Type, _ input: T.Input) -> ProcessInitializer {
        ProcessInitializer(taskName: T.name, taskType: ObjectIdentifier(task), input: input)
    }
}

#if compiler(<6.2)
/// Swift 6.2 (Xcode 26) introduced `SendableMetatype` (SE-0470) and asks for it here. Before,
/// every metatype could be used from any thread, so the older compilers of Xcode 16 need
/// nothing: an empty stand-in keeps one spelling for both.
public protocol SendableMetatype {}
#endif
