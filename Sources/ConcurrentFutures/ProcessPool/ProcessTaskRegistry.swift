/// The table from task names to task functions: how a worker process turns the name it
/// receives back into code it can run.
///
/// Python needs no table: unpickling a function imports its module and looks the name up in
/// it. Swift cannot look a function up by name at run time, so the program lists its tasks
/// once, and this table is built from that list, in the parent (to check names at the call)
/// and in every worker (to run them).
struct ProcessTaskRegistry {
    /// What the registry knows about one task.
    struct Entry {
        /// Which type registered the name.
        let type: ObjectIdentifier
        /// Decodes one input, runs the task, encodes its output.
        let runOne: (_ input: [UInt8], _ coder: PayloadCoder) throws -> [UInt8]
        /// Decodes a chunk of inputs and runs the task on each, in order, stopping at the first
        /// error: the outputs computed so far (encoded), and that error if there was one.
        let runChunk: (_ inputs: [UInt8], _ coder: PayloadCoder) throws -> (outputs: [UInt8], error: (any Error)?)
    }

    private(set) var entries: [String: Entry] = [:]

    /// - Throws: `ProcessPoolError` if two of `tasks` share a name.
    init(_ tasks: [any ProcessTask.Type]) throws {
        for task in tasks {
            let entry = Self.entry(for: task)
            if let existing = entries[task.name], existing.type != entry.type {
                throw ProcessPoolError(.duplicateTaskName(task.name))
            }
            entries[task.name] = entry
        }
    }

    subscript(name: String) -> Entry? { entries[name] }

    /// The names and types, for the parent's checks (the parent never runs tasks).
    var registeredTypes: [String: ObjectIdentifier] { entries.mapValues(\.type) }

    private static func entry<T: ProcessTask>(for task: T.Type) -> Entry {
        Entry(
            type: ObjectIdentifier(task),
            runOne: { input, coder in
                try coder.encode(T.run(coder.decode(T.Input.self, from: input)))
            },
            runChunk: { inputs, coder in
                let items = try coder.decode([T.Input].self, from: inputs)
                var outputs: [T.Output] = []
                outputs.reserveCapacity(items.count)
                for item in items {
                    do {
                        outputs.append(try T.run(item))
                    } catch {
                        return (try coder.encode(outputs), error)
                    }
                }
                return (try coder.encode(outputs), nil)
            }
        )
    }
}

/// Turns task inputs and outputs into bytes and back, in the format of `BinaryEncoder`.
/// Python uses pickle.
struct PayloadCoder: Sendable {
    func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        try BinaryEncoder().encode(value)
    }

    /// The next `limit` elements of `elements` as one encoded array; `nil` at the end.
    func encodeArray<Elements: IteratorProtocol>(
        taking limit: Int, from elements: inout Elements
    ) throws -> [UInt8]? where Elements.Element: Encodable {
        try BinaryEncoder().encodeArray(taking: limit, from: &elements)
    }

    func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try BinaryDecoder().decode(type, from: bytes)
    }
}
