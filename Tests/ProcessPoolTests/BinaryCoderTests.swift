@testable import ConcurrentFutures
import Testing

/// The binary format that task inputs and outputs travel in (`BinaryEncoder`, `BinaryDecoder`).
@Suite("BinaryEncoder and BinaryDecoder")
struct BinaryCoderTests {
    private func roundTrip<Value: Codable & Equatable>(_ value: Value) throws -> Value {
        try BinaryDecoder().decode(Value.self, from: BinaryEncoder().encode(value))
    }

    struct Point: Codable, Equatable {
        var x: Int
        var y: Double
        var label: String?
    }

    enum Shape: Codable, Equatable {
        case circle(center: Point, radius: Double)
        case polygon([Point])
        case empty
    }

    class Animal: Codable {
        var name: String
        init(name: String) { self.name = name }
    }

    final class Dog: Animal, Equatable {
        var barks: Int
        init(name: String, barks: Int) {
            self.barks = barks
            super.init(name: name)
        }
        enum CodingKeys: String, CodingKey { case barks }
        required init(from decoder: any Decoder) throws {
            barks = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .barks)
            try super.init(from: decoder.container(keyedBy: CodingKeys.self).superDecoder())
        }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(barks, forKey: .barks)
            try super.encode(to: container.superEncoder())
        }
        static func == (lhs: Dog, rhs: Dog) -> Bool { lhs.name == rhs.name && lhs.barks == rhs.barks }
    }

    @Test func scalarsRoundTrip() throws {
        #expect(try roundTrip(42) == 42)
        #expect(try roundTrip(-1) == -1)
        #expect(try roundTrip(Int.min) == Int.min)
        #expect(try roundTrip(UInt64.max) == UInt64.max)
        #expect(try roundTrip(Int8(-128)) == -128)
        #expect(try roundTrip(Float(1.5)) == 1.5)
        #expect(try roundTrip(true) == true)
        #expect(try roundTrip("héllo, wörld 🌍") == "héllo, wörld 🌍")
        #expect(try roundTrip("") == "")
    }

    @Test func containersRoundTrip() throws {
        #expect(try roundTrip([1, 2, 3]) == [1, 2, 3])
        #expect(try roundTrip([Int]()) == [])
        #expect(try roundTrip(["a": 1, "b": 2]) == ["a": 1, "b": 2])
        #expect(try roundTrip([7: "seven", -1: "minus one"]) == [7: "seven", -1: "minus one"])
        #expect(try roundTrip(Set(["x", "y"])) == Set(["x", "y"]))
        #expect(try roundTrip([[1], [], [2, 3]]) == [[1], [], [2, 3]])
        #expect(try roundTrip([1, nil, 3] as [Int?]) == [1, nil, 3])
        let big = Dictionary(uniqueKeysWithValues: (0..<1000).map { ("key\($0)", $0) })
        #expect(try roundTrip(big) == big)
    }

    @Test func structsEnumsAndClassesRoundTrip() throws {
        let point = Point(x: -3, y: 0.25, label: nil)
        #expect(try roundTrip(point) == point)
        let shapes: [Shape] = [.circle(center: point, radius: 2), .polygon([point, point]), .empty]
        #expect(try roundTrip(shapes) == shapes)
        let dog = Dog(name: "Rex", barks: 3)
        #expect(try roundTrip(dog) == dog)
    }

    @Test func theEncodingIsCompact() throws {
        #expect(try BinaryEncoder().encode(5) == [3, 10])             // tag 3, zigzag(5) = 10
        #expect(try BinaryEncoder().encode([1, 2]) == [7, 2, 3, 2, 3, 4])
        #expect(try BinaryEncoder().encode("hi") == [6, 2, 104, 105])
    }

    @Test func aTypeMismatchIsADecodingError() throws {
        let bytes = try BinaryEncoder().encode("text")
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode(Int.self, from: bytes) }
        let tooBig = try BinaryEncoder().encode(300)
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode(UInt8.self, from: tooBig) }
        let missingKey = try BinaryEncoder().encode(["x": 1])
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode(Point.self, from: missingKey) }
    }

    @Test func corruptedBytesAreRefusedNotTrusted() {
        let cases: [[UInt8]] = [
            [],                                 // nothing at all
            [99],                               // unknown tag
            [6, 200],                           // a string longer than the bytes
            [7, 255, 255, 255, 255, 15],        // a count of billions with nothing behind it
            [3, 0x80, 0x80],                    // a varint cut short
            [3, 10, 0],                         // extra bytes after the value
            Array(repeating: 7, count: 2000) + [1],  // nesting deeper than the limit
        ]
        for bytes in cases {
            #expect(throws: DecodingError.self, "\(bytes.prefix(8))") { try BinaryDecoder().decode([Int].self, from: bytes) }
        }
    }
}
