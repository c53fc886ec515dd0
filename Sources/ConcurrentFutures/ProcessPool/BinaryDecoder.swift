/// Turns bytes written by `BinaryEncoder` back into a `Decodable` value. Python: `pickle.loads`.
///
///     let numbers = try BinaryDecoder().decode([Int].self, from: bytes)
///
/// The bytes are first read into a tree of `DecodingNode`s (checking the format as it goes),
/// then the value's `init(from:)` walks the tree through the usual containers.
struct BinaryDecoder {
    func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        var reader = ByteReader(bytes: bytes)
        let node = try reader.readNode(depth: 0)
        guard reader.isAtEnd else { throw corrupted("\(bytes.count - reader.position) extra bytes after the value") }
        return try decodeValue(type, from: node, codingPath: [])
    }
}

/// A value read from bytes, on its way to becoming a Swift value.
enum DecodingNode {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case int128(Int128)
    case uint128(UInt128)
    case double(Double)
    case string(String)
    case array([DecodingNode])
    case keyed([(key: String, value: DecodingNode)])

    /// What it holds, for error messages: "a string", "an unkeyed container" ...
    var kind: String {
        switch self {
        case .null: "nil"
        case .bool: "a Bool"
        case .int, .uint, .int128, .uint128: "an integer"
        case .double: "a floating-point number"
        case .string: "a string"
        case .array: "an unkeyed container"
        case .keyed: "a keyed container"
        }
    }
}

private func corrupted(_ description: String, codingPath: [any CodingKey] = []) -> DecodingError {
    DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: description))
}

/// Reads the format described in `BinaryEncoder`, checking every length against the bytes
/// that are really there (the bytes come from another process: trust nothing).
private struct ByteReader {
    let bytes: [UInt8]
    var position = 0
    /// Deeper nesting than this is refused rather than risking the stack (the encoder refuses
    /// to write it in the first place).
    static let maximumDepth = maximumNestingDepth

    var isAtEnd: Bool { position == bytes.count }

    mutating func readNode(depth: Int) throws -> DecodingNode {
        guard depth < Self.maximumDepth else { throw corrupted("values nested more than \(Self.maximumDepth) deep") }
        switch try readByte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3:
            let zigzag = try readVarint(UInt64.self)
            return .int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
        case 4:
            return .uint(try readVarint(UInt64.self))
        case 9:
            let zigzag = try readVarint(UInt128.self)
            return .int128(Int128(bitPattern: zigzag >> 1) ^ -Int128(bitPattern: zigzag & 1))
        case 10:
            return .uint128(try readVarint(UInt128.self))
        case 5:
            var bits: UInt64 = 0
            for index in 0..<8 { bits |= UInt64(try readByte()) << (8 * index) }
            return .double(Double(bitPattern: bits))
        case 6:
            return .string(try readString())
        case 7:
            let count = try readCount()
            var elements: [DecodingNode] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(try readNode(depth: depth + 1)) }
            return .array(elements)
        case 8:
            let count = try readCount()
            var entries: [(key: String, value: DecodingNode)] = []
            entries.reserveCapacity(count)
            for _ in 0..<count { entries.append((try readString(), try readNode(depth: depth + 1))) }
            return .keyed(entries)
        case let tag:
            throw corrupted("unknown tag \(tag) at byte \(position - 1)")
        }
    }

    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw corrupted("the bytes end in the middle of a value") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readVarint<Integer: UnsignedInteger & FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        var value: Integer = 0
        var shift = 0
        while true {
            let byte = try readByte()
            guard shift < Integer.bitWidth else { throw corrupted("a varint longer than \(Integer.bitWidth) bits") }
            value |= Integer(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A count of elements, or of bytes: never more than the bytes left (each element takes at
    /// least one), so a corrupted count cannot make us reserve gigabytes.
    mutating func readCount() throws -> Int {
        let count = try readVarint(UInt64.self)
        guard count <= UInt64(bytes.count - position) else { throw corrupted("a count of \(count) with \(bytes.count - position) bytes left") }
        return Int(count)
    }

    mutating func readString() throws -> String {
        let length = try readCount()
        defer { position += length }
        return String(decoding: bytes[position..<position + length], as: UTF8.self)
    }
}

/// Makes a `Value` from a node: the common scalar types directly, anything else through its
/// `init(from:)` and a `NodeDecoder`. (The shortcut mirrors the one in `encodingNode(for:)`.)
func decodeValue<Value: Decodable>(
    _ type: Value.Type, from node: DecodingNode, codingPath: @autoclosure () -> [any CodingKey]
) throws -> Value {
    switch node {
    case .int(let value) where Value.self == Int.self:
        if let value = Int(exactly: value) { return value as! Value }  // `as!` cannot fail: Value is Int
    case .double(let value) where Value.self == Double.self:
        return value as! Value
    case .string(let value) where Value.self == String.self:
        return value as! Value
    case .bool(let value) where Value.self == Bool.self:
        return value as! Value
    default:
        break
    }
    return try Value(from: NodeDecoder(node: node, codingPath: codingPath()))
}

/// The `Decoder` that a value's `init(from:)` talks to, over one node of the tree.
final class NodeDecoder: Decoder {
    let node: DecodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: DecodingNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .keyed(let entries) = node else {
            throw mismatch([String: Int].self, expected: "a keyed container", found: node, codingPath: codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(entries: KeyedEntries(entries), codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = node else {
            throw mismatch([Int].self, expected: "an unkeyed container", found: node, codingPath: codingPath)
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }

    // MARK: The three kinds of container

    /// The entries of a keyed container, found by key. Values are usually decoded in the order
    /// they were encoded, so the lookup tries the entry after the last one found first; only
    /// a miss in a large container builds a dictionary of all keys.
    final class KeyedEntries {
        let entries: [(key: String, value: DecodingNode)]
        private var next = 0
        private var index: [String: Int]?

        init(_ entries: [(key: String, value: DecodingNode)]) { self.entries = entries }

        func find(_ key: String) -> DecodingNode? {
            if next < entries.count, entries[next].key == key {
                defer { next += 1 }
                return entries[next].value
            }
            let position: Int?
            if entries.count <= 16 {
                position = entries.firstIndex { $0.key == key }
            } else {
                if index == nil {
                    index = Dictionary(entries.enumerated().map { ($0.element.key, $0.offset) }) { first, _ in first }
                }
                position = index?[key]
            }
            guard let position else { return nil }
            next = position + 1
            return entries[position].value
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let entries: KeyedEntries
        let codingPath: [any CodingKey]

        var allKeys: [Key] { entries.entries.compactMap { Key(stringValue: $0.key) } }

        func contains(_ key: Key) -> Bool { entries.find(key.stringValue) != nil }

        private func node(for key: Key) throws -> DecodingNode {
            guard let node = entries.find(key.stringValue) else {
                throw DecodingError.keyNotFound(key, DecodingError.Context(
                    codingPath: codingPath, debugDescription: "no value for the key \"\(key.stringValue)\""))
            }
            return node
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try node(for: key) { return true }
            return false
        }

        func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
            try decodeValue(type, from: try node(for: key), codingPath: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            try NodeDecoder(node: try node(for: key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try NodeDecoder(node: try node(for: key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            NodeDecoder(node: entries.find("super") ?? .null, codingPath: codingPath)
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            NodeDecoder(node: entries.find(key.stringValue) ?? .null, codingPath: codingPath + [key])
        }

        // 128-bit integers: the standard library's fallback for a decoder that does not
        // implement these throws "not supported" instead of calling the generic `decode`.
        func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 {
            try decodeValue(type, from: try node(for: key), codingPath: codingPath + [key])
        }

        func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 {
            try decodeValue(type, from: try node(for: key), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let elements: [DecodingNode]
        let codingPath: [any CodingKey]
        private(set) var currentIndex = 0

        init(elements: [DecodingNode], codingPath: [any CodingKey]) {
            self.elements = elements
            self.codingPath = codingPath
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        /// The next element, consumed.
        private mutating func next<Value>(_ type: Value.Type) throws -> DecodingNode {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(type, DecodingError.Context(
                    codingPath: codingPath, debugDescription: "the unkeyed container has only \(elements.count) elements"))
            }
            defer { currentIndex += 1 }
            return elements[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, case .null = elements[currentIndex] else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try decodeValue(type, from: try next(type), codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try NodeDecoder(node: try next([String: Int].self), codingPath: codingPath).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try NodeDecoder(node: try next([Int].self), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            NodeDecoder(node: try next([String: Int].self), codingPath: codingPath)
        }

        mutating func decode(_ type: Int128.Type) throws -> Int128 {
            try decodeValue(type, from: try next(type), codingPath: codingPath)
        }

        mutating func decode(_ type: UInt128.Type) throws -> UInt128 {
            try decodeValue(type, from: try next(type), codingPath: codingPath)
        }
    }

    /// One value: each primitive type's `init(from:)` calls its own overload below.
    struct SingleValueContainer: SingleValueDecodingContainer {
        let node: DecodingNode
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool {
            if case .null = node { return true }
            return false
        }

        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let value) = node else { throw mismatch(type, expected: "a Bool", found: node, codingPath: codingPath) }
            return value
        }

        func decode(_ type: String.Type) throws -> String {
            guard case .string(let value) = node else { throw mismatch(type, expected: "a string", found: node, codingPath: codingPath) }
            return value
        }

        func decode(_ type: Double.Type) throws -> Double {
            switch node {
            case .double(let value): return value
            case .int(let value): return Double(value)
            case .uint(let value): return Double(value)
            case .int128(let value): return Double(value)
            case .uint128(let value): return Double(value)
            default: throw mismatch(type, expected: "a number", found: node, codingPath: codingPath)
            }
        }

        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
        func decode(_ type: Int128.Type) throws -> Int128 { try integer(type) }
        func decode(_ type: UInt128.Type) throws -> UInt128 { try integer(type) }

        /// Any integer type, from either kind of integer node, if the number fits.
        private func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
            let converted: Integer?
            switch node {
            case .int(let value): converted = Integer(exactly: value)
            case .uint(let value): converted = Integer(exactly: value)
            case .int128(let value): converted = Integer(exactly: value)
            case .uint128(let value): converted = Integer(exactly: value)
            default: throw mismatch(type, expected: "an integer", found: node, codingPath: codingPath)
            }
            guard let converted else {
                throw corrupted("the number \(node) does not fit in \(Integer.self)", codingPath: codingPath)
            }
            return converted
        }

        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try decodeValue(type, from: node, codingPath: codingPath)
        }
    }
}

private func mismatch(_ type: Any.Type, expected: String, found node: DecodingNode, codingPath: [any CodingKey]) -> DecodingError {
    if case .null = node {
        return DecodingError.valueNotFound(type, DecodingError.Context(
            codingPath: codingPath, debugDescription: "expected \(expected), found nil"))
    }
    return DecodingError.typeMismatch(type, DecodingError.Context(
        codingPath: codingPath, debugDescription: "expected \(expected), found \(node.kind)"))
}
