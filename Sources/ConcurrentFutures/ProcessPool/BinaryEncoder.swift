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
///
/// A *varint* stores 7 bits per byte, low bits first, with the high bit set on every byte but
/// the last: 5 is one byte, 300 two. *Zigzag* maps signed to unsigned so that small negative
/// numbers stay small: 0, -1, 1, -2 ... become 0, 1, 2, 3 ...
struct BinaryEncoder {
    func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try encodingNode(for: value, codingPath: []).write(to: &bytes)
        return bytes
    }

    /// Encodes the next `limit` elements of `elements` (fewer at its end) as one array, the
    /// same bytes as `encode(Array(thoseElements))`, without building that array first: how
    /// `map` packs a chunk of inputs. `nil` when `elements` has nothing left.
    func encodeArray<Elements: IteratorProtocol>(
        taking limit: Int, from elements: inout Elements
    ) throws -> [UInt8]? where Elements.Element: Encodable {
        let array = EncodingNode.ArrayNode()
        array.elements.reserveCapacity(limit)
        while array.elements.count < limit, let element = elements.next() {
            array.elements.append(try encodingNode(for: element, codingPath: []))
        }
        if array.elements.isEmpty { return nil }
        var bytes: [UInt8] = []
        EncodingNode.array(array).write(to: &bytes)
        return bytes
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
    case double(Double)
    case string(String)
    case array(ArrayNode)
    case keyed(KeyedNode)

    final class ArrayNode {
        var elements: [EncodingNode] = []
    }

    final class KeyedNode {
        var entries: [(key: String, value: EncodingNode)] = []
    }

    /// Appends the value's bytes in the format above.
    func write(to bytes: inout [UInt8]) {
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
            for element in array.elements { element.write(to: &bytes) }
        case .keyed(let keyed):
            bytes.append(8)
            bytes.appendVarint(UInt64(keyed.entries.count))
            for entry in keyed.entries {
                bytes.appendString(entry.key)
                entry.value.write(to: &bytes)
            }
        }
    }
}

extension [UInt8] {
    fileprivate mutating func appendVarint(_ value: UInt64) {
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
        try value.encode(to: encoder)
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

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // Asking twice gives the same container (a class's `encode(to:)` may call its
        // superclass's, which asks again).
        if case .keyed(let keyed) = node { return KeyedEncodingContainer(KeyedContainer(node: keyed, codingPath: codingPath)) }
        let keyed = EncodingNode.KeyedNode()
        node = .keyed(keyed)
        return KeyedEncodingContainer(KeyedContainer(node: keyed, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let array) = node { return UnkeyedContainer(node: array, codingPath: codingPath) }
        let array = EncodingNode.ArrayNode()
        node = .array(array)
        return UnkeyedContainer(node: array, codingPath: codingPath)
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

        /// An encoder whose result becomes the entry `name`: made now, filled later.
        private mutating func superEncoder(named name: String, key: Key?) -> any Encoder {
            let keyed = EncodingNode.KeyedNode()
            node.entries.append((name, .keyed(keyed)))
            let encoder = NodeEncoder(codingPath: codingPath + (key.map { [$0] } ?? []))
            encoder.node = .keyed(keyed)
            return encoder
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
            let keyed = EncodingNode.KeyedNode()
            node.elements.append(.keyed(keyed))
            let encoder = NodeEncoder(codingPath: codingPath)
            encoder.node = .keyed(keyed)
            return encoder
        }
    }

    /// One value: the scalar types say what they are here. Each primitive type's
    /// `encode(to:)` calls its own overload below.
    struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.node = .null }
        mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
        mutating func encode(_ value: String) throws { encoder.node = .string(value) }
        mutating func encode(_ value: Double) throws { encoder.node = .double(value) }
        mutating func encode(_ value: Float) throws { encoder.node = .double(Double(value)) }
        mutating func encode(_ value: Int) throws { encoder.node = .int(Int64(value)) }
        mutating func encode(_ value: Int8) throws { encoder.node = .int(Int64(value)) }
        mutating func encode(_ value: Int16) throws { encoder.node = .int(Int64(value)) }
        mutating func encode(_ value: Int32) throws { encoder.node = .int(Int64(value)) }
        mutating func encode(_ value: Int64) throws { encoder.node = .int(value) }
        mutating func encode(_ value: UInt) throws { encoder.node = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { encoder.node = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { encoder.node = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { encoder.node = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.node = .uint(value) }

        mutating func encode<Value: Encodable>(_ value: Value) throws {
            encoder.node = try encodingNode(for: value, codingPath: codingPath)
        }
    }
}
