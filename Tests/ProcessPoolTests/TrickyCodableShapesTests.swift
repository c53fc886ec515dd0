@testable import ConcurrentFutures
import Foundation
import Testing

/// The binary coder against the corners of `Codable`: every shape in the table must come back
/// from `BinaryEncoder` → `BinaryDecoder` equal to the original. A few shapes lose information
/// in every coder (`Optional<Optional<Int>>.some(nil)` decodes as `nil`: that is how `Optional`
/// itself encodes); those must come back exactly as from `JSONEncoder` → `JSONDecoder` (or a
/// binary property list where JSON refuses the value). What the coder cannot carry it must
/// refuse at the call, with the type's name.
@Suite("BinaryEncoder and BinaryDecoder: tricky Codable shapes")
struct TrickyCodableShapesTests {
    @Test func everyShapeRoundTripsLikeJSONAndPropertyLists() {
        for row in shapeTable() {
            do {
                try row.check()
            } catch {
                Issue.record("\(row.name): \(error)")
            }
        }
    }

    @Test func whatCannotBeEncodedIsRefusedAtTheCallWithTheTypeName() {
        // Each value must be refused by `encode`, with an EncodingError that names its type.
        let refusals: [(name: String, typeName: String, encode: () throws -> [UInt8])] = [
            ("a keyed container, then an unkeyed one", "AsksForTwoContainers", { try BinaryEncoder().encode(AsksForTwoContainers()) }),
            ("two values in one single-value container", "EncodesTwice", { try BinaryEncoder().encode(EncodesTwice()) }),
            ("nesting deeper than the decoder accepts", "NestedArray", { try BinaryEncoder().encode(nestedArrays(depth: 600)) }),
            ("the conflict inside a super encoder", "AsksForTwoContainers", {
                try BinaryEncoder().encode([AsksForTwoContainers(throughSuperEncoder: true)])
            }),
        ]
        for refusal in refusals {
            do {
                _ = try refusal.encode()
                Issue.record("\(refusal.name): encoded, should have been refused")
            } catch let error as EncodingError {
                let text = describeCodingError(error)
                #expect(text.contains(refusal.typeName), "\(refusal.name): \(text)")
            } catch {
                Issue.record("\(refusal.name): \(error)")
            }
        }
    }

    @Test func nestingUpToTheDecodersLimitRoundTrips() throws {
        let deep = nestedArrays(depth: 500)
        #expect(try BinaryDecoder().decode(NestedArray.self, from: BinaryEncoder().encode(deep)) == deep)
    }
}

// MARK: - The table

/// One row: a name, and a check that throws when the row fails.
private struct ShapeRow {
    let name: String
    let check: () throws -> Void
}

/// How a row compares: `.exact` when the round trip must give back the original; `.likeJSON`
/// for shapes that lose information in every coder (an optional of an optional becomes nil).
private enum Fidelity { case exact, likeJSON }

private struct RowFailure: Error, CustomStringConvertible {
    let description: String
}

private func row<Value: Codable & Equatable>(_ name: String, _ value: Value, _ fidelity: Fidelity = .exact) -> ShapeRow {
    ShapeRow(name: name) {
        let binary = try BinaryDecoder().decode(Value.self, from: BinaryEncoder().encode(value))
        if binary == value { return }
        guard fidelity == .likeJSON else {
            throw RowFailure(description: "binary gave \(binary), the original is \(value)")
        }
        // The shape loses information in any coder: it must lose what JSON loses (or a
        // binary property list, where JSON refuses the value), no more.
        let json = try? JSONDecoder().decode(Value.self, from: JSONEncoder().encode(value))
        let plist = try? PropertyListDecoder().decode(Value.self, from: PropertyListEncoder().encode(value))
        guard let reference = json ?? plist else { throw RowFailure(description: "no reference coder takes \(value)") }
        if binary != reference {
            throw RowFailure(description: "binary gave \(binary), \(json != nil ? "JSON" : "a property list") gave \(reference)")
        }
    }
}

private func shapeTable() -> [ShapeRow] { [
    // Super encoders, whatever the super value puts in them.
    row("superEncoder(forKey:) holding a single value", SuperForKey(base: 42, extra: "x")),
    row("superEncoder() holding an unkeyed container", SuperHoldingArray(items: [1, 2, 3])),
    row("superEncoder() left empty", SuperLeftEmpty(value: 7)),
    row("an unkeyed container's superEncoder()", UnkeyedSuper(text: "inside", number: -9)),
    row("a class through superEncoder()", Dog(name: "Rex", barks: 3)),
    row("three classes through superEncoder(forKey:)", Puppy(name: "Bit", barks: 1, ageInWeeks: 9)),
    row("a class sharing its encoder with its superclass", Cat(name: "Tom", lives: 9)),
    // Nested containers.
    row("nested unkeyed and keyed containers", NestedContainers(grid: [[1, 2], [], [3]], pairs: ["a": [1], "b": []])),
    row("arrays of arrays", [[[1], []], [[2, 3]], []]),
    // Optionals.
    row("an optional of an optional: some(some)", Optionals(value: .some(.some(1)), list: [.some(.some(2)), nil, 5])),
    row("an optional of an optional: some(none) becomes nil", Optionals(value: .some(nil), list: [.some(nil)]), .likeJSON),
    row("an optional of an optional: none", Optionals(value: nil, list: [nil])),
    row("a top-level optional of an optional", [Int??.some(.some(3)), .some(nil), nil], .likeJSON),
    row("nested arrays of optionals", NestedOptionals(rows: [[1, nil], nil, [], [nil]], names: [["a", nil], []])),
    // Empty things.
    row("an empty struct", Empty()),
    row("empty containers", Empties(array: [], dictionary: [:], intKeyed: [:], otherKeyed: [:], set: [], text: "")),
    row("a struct with every optional nil", Optionals(value: nil, list: [])),
    // Enums.
    row("enums with associated values", [
        Shape.circle(center: Point(x: 1, y: 2), radius: 3), .polygon([Point(x: 0, y: 0)]), .empty,
        .labelled(first: "a", 2), .nested(.empty),
    ]),
    row("an indirect enum (a tree)", Tree.node(.leaf(1), .node(.leaf(2), .leaf(3)))),
    row("enums with raw values", RawEnums(color: .red, level: .high)),
    // Dictionaries with keys that are not strings.
    row("[Int: String]", [7: "seven", -1: "minus one", Int.min: "min"]),
    row("[Int8: Int] (an unkeyed container of pairs)", [Int8(-128): 1, 127: 2] as [Int8: Int]),
    row("[Double: String]", [0.5: "half", -0.0: "zero"]),
    row("[Bool: Int]", [true: 1, false: 0]),
    row("[Point: Int] (struct keys)", [Point(x: 1, y: 2): 3]),
    row("[Color: Int] (CodingKeyRepresentable keys)", [Color.red: 1, .green: 2]),
    row("[UUID: String]", [UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!: "id"]),
    // Integers at their edges.
    row("Int edges", [Int.min, Int.max, 0, -1, 1]),
    row("fixed-width integer edges", Integers(
        int8: .min, int16: .min, int32: .min, int64: .min, uint8: .max, uint16: .max, uint32: .max, uint64: .max)),
    row("128-bit integers", Wide(signed: [.min, .max, -1, 0, Int128(Int64.min) - 1], unsigned: [.max, 0, UInt128(UInt64.max) + 1])),
    // Floating-point values at their edges (compared bit for bit: NaN is not equal to itself).
    row("Double edges", [
        Double.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude,
        .greatestFiniteMagnitude, .ulpOfOne, -1e-300,
    ].map(DoubleBits.init)),
    row("Float edges", [
        Float.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .ulpOfOne,
    ].map(FloatBits.init)),
    // Bytes.
    row("[UInt8]", [UInt8](0...255) + [0, 0, 255]),
    row("Data", Data([0, 1, 2, 254, 255])),
    row("a large [UInt8]", [UInt8]((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })),
    // Foundation values and text.
    row("Date, URL, Decimal, UUID", FoundationValues(
        date: Date(timeIntervalSinceReferenceDate: 123_456.789), url: URL(string: "b/c?d=1", relativeTo: URL(string: "http://a/"))!,
        decimal: Decimal(string: "-12345.678901234567890")!, id: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!)),
    row("strings with NUL and emoji", ["", "\u{0}", "a\u{0}b", "héllo 🌍👩‍👩‍👧", String(repeating: "é", count: 1000)]),
    row("a single-value wrapper", [Meters(value: 2.5), Meters(value: -0.125)]),
    row("integer coding keys", IntegerKeys(first: 1, second: "two")),
] }

// MARK: - The shapes

struct Point: Codable, Hashable {
    var x: Int
    var y: Int
}

enum Shape: Codable, Equatable {
    case circle(center: Point, radius: Double)
    case polygon([Point])
    case empty
    case labelled(first: String, Int)
    indirect case nested(Shape)
}

indirect enum Tree: Codable, Equatable {
    case leaf(Int)
    case node(Tree, Tree)
}

enum Color: String, Codable, CodingKeyRepresentable {
    case red, green
}

enum Level: Int, Codable {
    case low = -1, high = 1_000_000
}

struct RawEnums: Codable, Equatable {
    var color: Color
    var level: Level
}

/// `superEncoder(forKey:)` with a single value in it: the case the coder used to lose.
struct SuperForKey: Codable, Equatable {
    var base: Int
    var extra: String
    enum CodingKeys: String, CodingKey { case base, extra }
    init(base: Int, extra: String) {
        self.base = base
        self.extra = extra
    }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        base = try Int(from: container.superDecoder(forKey: .base))
        extra = try container.decode(String.self, forKey: .extra)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try base.encode(to: container.superEncoder(forKey: .base))
        try container.encode(extra, forKey: .extra)
    }
}

/// `superEncoder()` with an unkeyed container in it.
struct SuperHoldingArray: Codable, Equatable {
    var items: [Int]
    enum CodingKeys: CodingKey { case unused }
    init(items: [Int]) { self.items = items }
    init(from decoder: any Decoder) throws {
        items = try [Int](from: decoder.container(keyedBy: CodingKeys.self).superDecoder())
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try items.encode(to: container.superEncoder())
    }
}

/// A super encoder asked for and never used: JSON writes `{}` for it.
struct SuperLeftEmpty: Codable, Equatable {
    var value: Int
    enum CodingKeys: CodingKey { case value }
    init(value: Int) { self.value = value }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(Int.self, forKey: .value)
        _ = try container.superDecoder()
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        _ = container.superEncoder()
    }
}

/// An unkeyed container's `superEncoder()`, holding a single value, between two elements.
struct UnkeyedSuper: Codable, Equatable {
    var text: String
    var number: Int
    init(text: String, number: Int) {
        self.text = text
        self.number = number
    }
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        text = try String(from: container.superDecoder())
        number = try container.decode(Int.self)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try text.encode(to: container.superEncoder())
        try container.encode(number)
    }
}

class Animal: Codable, CustomStringConvertible {
    var name: String
    init(name: String) { self.name = name }
    var description: String { "\(type(of: self))(\(name))" }
}

/// A subclass that encodes its superclass through `superEncoder()`.
class Dog: Animal, Equatable {
    var barks: Int
    init(name: String, barks: Int) {
        self.barks = barks
        super.init(name: name)
    }
    private enum CodingKeys: String, CodingKey { case barks }
    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        barks = try container.decode(Int.self, forKey: .barks)
        try super.init(from: container.superDecoder())
    }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(barks, forKey: .barks)
        try super.encode(to: container.superEncoder())
    }
    static func == (lhs: Dog, rhs: Dog) -> Bool {
        type(of: lhs) == type(of: rhs) && lhs.name == rhs.name && lhs.barks == rhs.barks
    }
    override var description: String { "\(super.description), \(barks) barks" }
}

/// A third level, through `superEncoder(forKey:)`.
final class Puppy: Dog {
    var ageInWeeks: Int
    init(name: String, barks: Int, ageInWeeks: Int) {
        self.ageInWeeks = ageInWeeks
        super.init(name: name, barks: barks)
    }
    private enum CodingKeys: String, CodingKey { case ageInWeeks, dog }
    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ageInWeeks = try container.decode(Int.self, forKey: .ageInWeeks)
        try super.init(from: container.superDecoder(forKey: .dog))
    }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ageInWeeks, forKey: .ageInWeeks)
        try super.encode(to: container.superEncoder(forKey: .dog))
    }
    static func == (lhs: Puppy, rhs: Puppy) -> Bool { lhs as Dog == rhs as Dog && lhs.ageInWeeks == rhs.ageInWeeks }
    override var description: String { "\(super.description), \(ageInWeeks) weeks" }
}

/// A subclass that hands its own encoder to its superclass: both write into one container.
final class Cat: Animal, Equatable {
    var lives: Int
    init(name: String, lives: Int) {
        self.lives = lives
        super.init(name: name)
    }
    private enum CodingKeys: String, CodingKey { case lives }
    required init(from decoder: any Decoder) throws {
        lives = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .lives)
        try super.init(from: decoder)
    }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lives, forKey: .lives)
        try super.encode(to: encoder)
    }
    static func == (lhs: Cat, rhs: Cat) -> Bool { lhs.name == rhs.name && lhs.lives == rhs.lives }
}

/// Nested containers written by hand: an unkeyed container of unkeyed containers under a key,
/// and a keyed container inside an unkeyed one.
struct NestedContainers: Codable, Equatable {
    var grid: [[Int]]
    var pairs: [String: [Int]]
    enum CodingKeys: CodingKey { case grid, pairs }
    enum PairKeys: CodingKey { case key, values }
    init(grid: [[Int]], pairs: [String: [Int]]) {
        self.grid = grid
        self.pairs = pairs
    }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var rows = try container.nestedUnkeyedContainer(forKey: .grid)
        grid = []
        while !rows.isAtEnd {
            var row = try rows.nestedUnkeyedContainer()
            var values: [Int] = []
            while !row.isAtEnd { values.append(try row.decode(Int.self)) }
            grid.append(values)
        }
        var list = try container.nestedUnkeyedContainer(forKey: .pairs)
        pairs = [:]
        while !list.isAtEnd {
            let pair = try list.nestedContainer(keyedBy: PairKeys.self)
            pairs[try pair.decode(String.self, forKey: .key)] = try pair.decode([Int].self, forKey: .values)
        }
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var rows = container.nestedUnkeyedContainer(forKey: .grid)
        for values in grid {
            var row = rows.nestedUnkeyedContainer()
            for value in values { try row.encode(value) }
        }
        var list = container.nestedUnkeyedContainer(forKey: .pairs)
        for (key, values) in pairs.sorted(by: { $0.key < $1.key }) {
            var pair = list.nestedContainer(keyedBy: PairKeys.self)
            try pair.encode(key, forKey: .key)
            try pair.encode(values, forKey: .values)
        }
    }
}

struct Optionals: Codable, Equatable {
    var value: Int??
    var list: [Int??]
}

struct NestedOptionals: Codable, Equatable {
    var rows: [[Int?]?]
    var names: [[String?]]
}

struct Empty: Codable, Equatable {}

struct Empties: Codable, Equatable {
    var array: [Int]
    var dictionary: [String: Int]
    var intKeyed: [Int: Int]
    var otherKeyed: [Double: Int]
    var set: Set<String>
    var text: String
}

struct Integers: Codable, Equatable {
    var int8: Int8, int16: Int16, int32: Int32, int64: Int64
    var uint8: UInt8, uint16: UInt16, uint32: UInt32, uint64: UInt64
}

struct Wide: Codable, Equatable {
    var signed: [Int128]
    var unsigned: [UInt128]
    var maybe: Int128? = Int128.min
}

/// A Double compared bit for bit, so that NaN equals NaN and -0.0 differs from 0.0.
struct DoubleBits: Codable, Equatable {
    var value: Double
    init(_ value: Double) { self.value = value }
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.value.bitPattern == rhs.value.bitPattern }
}

struct FloatBits: Codable, Equatable {
    var value: Float
    init(_ value: Float) { self.value = value }
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.value.bitPattern == rhs.value.bitPattern }
}

struct FoundationValues: Codable, Equatable {
    var date: Date
    var url: URL
    var decimal: Decimal
    var id: UUID
}

/// A value that encodes as the single value inside it.
struct Meters: Codable, Equatable {
    var value: Double
    init(value: Double) { self.value = value }
    init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Double.self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

struct IntegerKeys: Codable, Equatable {
    var first: Int
    var second: String
    enum CodingKeys: Int, CodingKey { case first = 1, second = 2 }
}

/// Arrays nested `depth` levels deep, around one integer.
indirect enum NestedArray: Codable, Equatable {
    case value(Int)
    case array([NestedArray])
    init(from decoder: any Decoder) throws {
        if let value = try? decoder.singleValueContainer().decode(Int.self) {
            self = .value(value)
        } else {
            self = .array(try [NestedArray](from: decoder))
        }
    }
    func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let value): try value.encode(to: encoder)
        case .array(let elements): try elements.encode(to: encoder)
        }
    }
}

private func nestedArrays(depth: Int) -> NestedArray {
    var value = NestedArray.value(1)
    for _ in 1..<depth { value = .array([value]) }
    return value
}

/// Asks its encoder for a keyed container, then for an unkeyed one: JSONEncoder stops the
/// program for this; the binary coder refuses it.
struct AsksForTwoContainers: Encodable {
    var throughSuperEncoder = false
    enum CodingKeys: CodingKey { case a }
    func encode(to encoder: any Encoder) throws {
        if throughSuperEncoder {
            var container = encoder.unkeyedContainer()
            try AsksForTwoContainers().encode(to: container.superEncoder())
            return
        }
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encode(1, forKey: .a)
        var unkeyed = encoder.unkeyedContainer()
        try unkeyed.encode(2)
    }
}

/// Encodes two values through one single-value container.
struct EncodesTwice: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(1)
        try container.encode(2)
    }
}
