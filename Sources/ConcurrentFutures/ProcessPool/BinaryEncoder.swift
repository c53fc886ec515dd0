/// Turns any `Encodable` value into bytes, in a small binary format of this library: how task
/// inputs and outputs cross the process boundary. Python: `pickle`.
///
///     let bytes = try BinaryEncoder().encode([1, 2, 3])     // [7, 3, 3, 2, 3, 4, 3, 6]
///     let back = try BinaryDecoder().decode([Int].self, from: bytes)
///
/// Why not `JSONEncoder`? It was the first choice, and measuring a chunked `map` of trivial
/// calls showed 70% of all the processor time going into JSON: numbers printed as text and
/// parsed back, and a dynamic type check per value for `Date`, `URL`, `Data` and friends. This
/// format writes numbers as bytes, and needs no Foundation, so workers also start faster.
///
/// The format: every value is a tag byte, then what that tag needs.
///
///     0  nil
///     1  false                       2  true
///     3  signed integer              zigzag varint (Int, Int8 ... Int64)
///     4  unsigned integer            varint (UInt, UInt8 ... UInt64)
///     5  floating-point number       8 bytes, IEEE 754, little-endian (Float and Double)
///     6  string                      varint byte count, then UTF-8
///     7  unkeyed container (array)   varint element count, then the elements
///     8  keyed container (struct)    varint entry count, then per entry: varint key length,
///                                    key UTF-8, value
///     9  signed 128-bit integer      zigzag varint, up to 19 bytes (only outside Int64's range)
///    10  unsigned 128-bit integer    varint, up to 19 bytes (only above UInt64.max)
///
/// A *varint* stores 7 bits per byte, low bits first, with the high bit set on every byte but
/// the last: 5 is one byte, 300 two. *Zigzag* maps signed to unsigned so that small negative
/// numbers stay small: 0, -1, 1, -2 ... become 0, 1, 2, 3 ...
///
/// Everything `Codable` can express comes back as it went in, including values written
/// through `superEncoder()` and `superEncoder(forKey:)`, whatever the super value puts there.
/// What the format cannot carry is refused here, at the call, with an `EncodingError` naming
/// the type, never discovered by the decoder in another process:
/// - a type that asks one encoder for two kinds of container (a keyed one, then an unkeyed
///   one), or encodes two values through one single-value container (JSONEncoder stops the
///   program for both);
/// - values nested deeper than `maximumNestingDepth`, which the decoder refuses to protect
///   its stack.
struct BinaryEncoder {
    func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let node = try encodingNode(for: value, codingPath: [])
        try write(node, of: Value.self, to: &bytes)
        return bytes
    }

    /// Encodes the next `limit` elements of `elements` (fewer at its end) as one array, the
    /// same bytes as `encode(Array(thoseElements))`, without building that array first: how
    /// `map` packs a chunk of inputs. `nil` when `elements` has nothing left.
    func encodeArray<Elements: IteratorProtocol>(
        taking limit: Int, from elements: inout Elements
    ) throws -> [UInt8]? where Elements.Element: Encodable {
        let array = EncodingNode.ArrayNode()
        // Room for a modest chunk at most: `limit` is `map`'s chunk size, which may be `Int.max`;
        // memory is only for the elements that exist.
        array.elements.reserveCapacity(min(limit, 1024))
        while array.elements.count < limit, let element = elements.next() {
            array.elements.append(try encodingNode(for: element, codingPath: []))
        }
        if array.elements.isEmpty { return nil }
        var bytes: [UInt8] = []
        try write(.array(array), of: [Elements.Element].self, to: &bytes)
        return bytes
    }

    /// Writes the tree; a problem found only now (too deep, a super encoder misused) becomes
    /// an `EncodingError` that names `Value`, the type the caller asked to encode.
    private func write<Value>(_ node: EncodingNode, of type: Value.Type, to bytes: inout [UInt8]) throws {
        do {
            try node.write(to: &bytes, depth: 0)
        } catch let problem as EncodingProblem {
            throw problem.error(encoding: type)
        }
    }
}

/// The deepest nesting of containers that the decoder accepts (`ByteReader`), and so the
/// deepest the encoder writes: beyond it, a value is refused at the call.
let maximumNestingDepth = 512

/// Something the format cannot carry, found while encoding; it becomes an `EncodingError`
/// naming the type being encoded (`error(encoding:)`).
struct EncodingProblem: Error {
    let codingPath: [any CodingKey]
    /// What went wrong, as a phrase that follows the type's name: "asked ... for ...".
    let problem: String

    func error<Value>(encoding type: Value.Type) -> EncodingError {
        EncodingError.invalidValue(type, EncodingError.Context(
            codingPath: codingPath, debugDescription: "\(Value.self) \(problem)"))
    }
}

/// A value on its way to bytes. `Encodable` code asks for a container, keeps it, and adds to
/// it as it goes, so containers are classes that the encoder holds on to until the end; then
/// the whole tree is written out at once (which is also when the element counts are known).
enum EncodingNode {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case int128(Int128)
    case uint128(UInt128)
    case double(Double)
    case string(String)
    case array(ArrayNode)
    case keyed(KeyedNode)
    /// Whatever a super encoder (`superEncoder()`, `superEncoder(forKey:)`) ends up holding.
    /// The super value may ask that encoder for any kind of container, or encode a single
    /// value, and may do so after this node was placed in its parent: so the parent holds
    /// the encoder itself, and its content is read when the tree is written.
    case superEncoder(NodeEncoder)

    final class ArrayNode {
        var elements: [EncodingNode] = []
    }

    final class KeyedNode {
        var entries: [(key: String, value: EncodingNode)] = []
    }

    /// What it is, for error messages: "a keyed container", "a single value".
    var kind: String {
        switch self {
        case .array: "an unkeyed container"
        case .keyed: "a keyed container"
        case .superEncoder: "a super encoder"
        default: "a single value"
        }
    }

    /// Appends the value's bytes in the format above. `depth`: how many containers enclose
    /// this value.
    func write(to bytes: inout [UInt8], depth: Int) throws {
        guard depth < maximumNestingDepth else {
            throw EncodingProblem(codingPath: [], problem: "is nested more than \(maximumNestingDepth) levels deep, "
                + "the most the decoder accepts")
        }
        switch self {
        case .null:
            bytes.append(0)
        case .bool(let value):
            bytes.append(value ? 2 : 1)
        case .int(let value):
            bytes.append(3)
            bytes.appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))  // zigzag
        case .uint(let value):
            bytes.append(4)
            bytes.appendVarint(value)
        case .int128(let value):
            bytes.append(9)
            bytes.appendVarint(UInt128(bitPattern: (value << 1) ^ (value >> 127)))  // zigzag
        case .uint128(let value):
            bytes.append(10)
            bytes.appendVarint(value)
        case .double(let value):
            bytes.append(5)
            let bits = value.bitPattern
            for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * index))) }
        case .string(let value):
            bytes.append(6)
            bytes.appendString(value)
        case .array(let array):
            bytes.append(7)
            bytes.appendVarint(UInt64(array.elements.count))
            for element in array.elements { try element.write(to: &bytes, depth: depth + 1) }
        case .keyed(let keyed):
            bytes.append(8)
            bytes.appendVarint(UInt64(keyed.entries.count))
            for entry in keyed.entries {
                bytes.appendString(entry.key)
                try entry.value.write(to: &bytes, depth: depth + 1)
            }
        case .superEncoder(let encoder):
            if let misuse = encoder.misuse {
                throw EncodingProblem(
                    codingPath: misuse.codingPath,
                    problem: "holds a value, written through a super encoder, that " + misuse.problem)
            }
            // A super encoder nobody wrote to is an empty keyed container, as in JSON (`{}`).
            try (encoder.node ?? .keyed(KeyedNode())).write(to: &bytes, depth: depth)
        }
    }
}

extension [UInt8] {
    fileprivate mutating func appendVarint<Integer: UnsignedInteger & FixedWidthInteger>(_ value: Integer) {
        var rest = value
        while rest >= 0x80 {
            append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        append(UInt8(rest))
    }

    fileprivate mutating func appendString(_ string: String) {
        appendVarint(UInt64(string.utf8.count))
        append(contentsOf: string.utf8)
    }
}

/// The node for any value: the common scalar types directly, anything else by letting the
/// value encode itself into a fresh `NodeEncoder`.
///
/// (Without the shortcut the result would be the same, through `encode(to:)` and a
/// single-value container; the shortcut saves that detour for the values that are most often
/// sent by the thousand. The coding path, which only error messages use, is likewise only
/// built when an encoder needs it.)
func encodingNode<Value: Encodable>(
    for value: Value, codingPath: @autoclosure () -> [any CodingKey]
) throws -> EncodingNode {
    switch value {
    case let value as Int: return .int(Int64(value))
    case let value as Double: return .double(value)
    case let value as String: return .string(value)
    case let value as Bool: return .bool(value)
    default:
        let encoder = NodeEncoder(codingPath: codingPath())
        do {
            try value.encode(to: encoder)
            if let misuse = encoder.misuse { throw misuse }
        } catch let problem as EncodingProblem {
            throw problem.error(encoding: Value.self)  // the innermost type: the one to fix
        }
        // A value that encoded nothing at all becomes an empty keyed container, like `{}`.
        return encoder.node ?? .keyed(EncodingNode.KeyedNode())
    }
}

/// The `Encoder` that a value's `encode(to:)` talks to: it records what the value asked for.
final class NodeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What the value encoded: a scalar, or the container it asked for.
    var node: EncodingNode?
    /// The value asked for a container of another kind than the one it has (see `misused`).
    private(set) var misuse: EncodingProblem?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch node {
        case .keyed(let keyed):
            // Asking twice gives the same container (a class's `encode(to:)` may call its
            // superclass's, which asks again).
            return KeyedEncodingContainer(KeyedContainer(node: keyed, codingPath: codingPath))
        case nil:
            let keyed = EncodingNode.KeyedNode()
            node = .keyed(keyed)
            return KeyedEncodingContainer(KeyedContainer(node: keyed, codingPath: codingPath))
        case let existing?:
            misused(asking: "a keyed container", after: existing)
            return KeyedEncodingContainer(KeyedContainer(node: EncodingNode.KeyedNode(), codingPath: codingPath))
        }
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch node {
        case .array(let array):
            return UnkeyedContainer(node: array, codingPath: codingPath)
        case nil:
            let array = EncodingNode.ArrayNode()
            node = .array(array)
            return UnkeyedContainer(node: array, codingPath: codingPath)
        case let existing?:
            misused(asking: "an unkeyed container", after: existing)
            return UnkeyedContainer(node: EncodingNode.ArrayNode(), codingPath: codingPath)
        }
    }

    /// The value asked for a second container of another kind. `container(keyedBy:)` and
    /// `unkeyedContainer()` cannot throw, so this is remembered, the container handed out is
    /// a detached one, and the encoding fails when the value's `encode(to:)` returns: the
    /// second container's content would otherwise be lost without a word.
    private func misused(asking what: String, after existing: EncodingNode) {
        if misuse == nil {
            misuse = EncodingProblem(
                codingPath: codingPath,
                problem: "asked its encoder for \(what) after \(existing.kind); an encoder holds one kind of container")
        }
    }

    /// Sets the single value; a second one is refused (the first would be lost).
    fileprivate func setSingleValue(_ value: EncodingNode) throws {
        guard node == nil else {
            throw EncodingProblem(
                codingPath: codingPath,
                problem: "encoded a single value where its encoder already holds \(node!.kind)")
        }
        node = value
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    // MARK: The three kinds of container

    /// `encode(x, forKey: k)` adds an entry. (The standard library routes the overloads for
    /// `Int`, `String` ... to the generic `encode` when a container does not implement them.)
    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: EncodingNode.KeyedNode
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws {
            node.entries.append((key.stringValue, .null))
        }

        mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
            node.entries.append((key.stringValue, try encodingNode(for: value, codingPath: codingPath + [key])))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            let nested = EncodingNode.KeyedNode()
            node.entries.append((key.stringValue, .keyed(nested)))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: nested, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = EncodingNode.ArrayNode()
            node.entries.append((key.stringValue, .array(nested)))
            return UnkeyedContainer(node: nested, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder {
            superEncoder(named: "super", key: nil)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            superEncoder(named: key.stringValue, key: key)
        }

        /// An encoder whose content becomes the entry `name`: made now, filled later.
        private mutating func superEncoder(named name: String, key: Key?) -> any Encoder {
            let encoder = NodeEncoder(codingPath: codingPath + [key.map { $0 as any CodingKey } ?? SuperKey()])
            node.entries.append((name, .superEncoder(encoder)))
            return encoder
        }

        // 128-bit integers: the standard library's fallback for an encoder that does not
        // implement these throws "not supported" instead of calling the generic `encode`.
        mutating func encode(_ value: Int128, forKey key: Key) throws {
            node.entries.append((key.stringValue, .integer(value)))
        }

        mutating func encode(_ value: UInt128, forKey key: Key) throws {
            node.entries.append((key.stringValue, .integer(value)))
        }
    }

    /// `encode(x)` appends an element.
    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: EncodingNode.ArrayNode
        let codingPath: [any CodingKey]
        var count: Int { node.elements.count }

        mutating func encodeNil() throws {
            node.elements.append(.null)
        }

        mutating func encode<Value: Encodable>(_ value: Value) throws {
            node.elements.append(try encodingNode(for: value, codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = EncodingNode.KeyedNode()
            node.elements.append(.keyed(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: nested, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = EncodingNode.ArrayNode()
            node.elements.append(.array(nested))
            return UnkeyedContainer(node: nested, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            let encoder = NodeEncoder(codingPath: codingPath)
            node.elements.append(.superEncoder(encoder))
            return encoder
        }

        mutating func encode(_ value: Int128) throws { node.elements.append(.integer(value)) }
        mutating func encode(_ value: UInt128) throws { node.elements.append(.integer(value)) }
    }

    /// One value: the scalar types say what they are here. Each primitive type's
    /// `encode(to:)` calls its own overload below.
    struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { try encoder.setSingleValue(.null) }
        mutating func encode(_ value: Bool) throws { try encoder.setSingleValue(.bool(value)) }
        mutating func encode(_ value: String) throws { try encoder.setSingleValue(.string(value)) }
        mutating func encode(_ value: Double) throws { try encoder.setSingleValue(.double(value)) }
        mutating func encode(_ value: Float) throws { try encoder.setSingleValue(.double(Double(value))) }
        mutating func encode(_ value: Int) throws { try encoder.setSingleValue(.int(Int64(value))) }
        mutating func encode(_ value: Int8) throws { try encoder.setSingleValue(.int(Int64(value))) }
        mutating func encode(_ value: Int16) throws { try encoder.setSingleValue(.int(Int64(value))) }
        mutating func encode(_ value: Int32) throws { try encoder.setSingleValue(.int(Int64(value))) }
        mutating func encode(_ value: Int64) throws { try encoder.setSingleValue(.int(value)) }
        mutating func encode(_ value: Int128) throws { try encoder.setSingleValue(.integer(value)) }
        mutating func encode(_ value: UInt) throws { try encoder.setSingleValue(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { try encoder.setSingleValue(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { try encoder.setSingleValue(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { try encoder.setSingleValue(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { try encoder.setSingleValue(.uint(value)) }
        mutating func encode(_ value: UInt128) throws { try encoder.setSingleValue(.integer(value)) }

        mutating func encode<Value: Encodable>(_ value: Value) throws {
            try encoder.setSingleValue(try encodingNode(for: value, codingPath: codingPath))
        }
    }
}

extension EncodingNode {
    /// A 128-bit integer: the 64-bit node when it fits one (the common case, and what a
    /// 64-bit type reads), else a 128-bit node.
    static func integer(_ value: Int128) -> EncodingNode {
        if let small = Int64(exactly: value) { return .int(small) }
        return .int128(value)
    }

    static func integer(_ value: UInt128) -> EncodingNode {
        if let small = UInt64(exactly: value) { return .uint(small) }
        return .uint128(value)
    }
}

/// The key "super" in a coding path: where `superEncoder()` puts the super value.
struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { if stringValue != "super" { return nil } }
    init?(intValue: Int) { nil }
}
