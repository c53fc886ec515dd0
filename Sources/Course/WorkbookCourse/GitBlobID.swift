// The name git gives a file's contents: the SHA-1 of "blob <size>\0" followed by the bytes.
//
// The course index records this name for every stub as shipped (ShippedStubs.swift). It
// tells whether an exercise file is still the stub, and it is the key under which a git
// checkout keeps the stub's exact bytes (`git cat-file blob <id>`), whatever the learner
// changed or committed since.

/// The git blob id of `bytes`, as 40 lowercase hex digits: what `git hash-object FILE` prints.
///
///     gitBlobID(Array("hello\n".utf8)) == "ce013625030ba8dba906f756967f9e9ca394464a"
///
/// Carriage returns before a line feed are dropped first, as git does for a text file
/// checked out with Windows line endings (`core.autocrlf`): such a checkout still matches.
public func gitBlobID(_ bytes: [UInt8]) -> String {
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count)
    for (index, byte) in bytes.enumerated() where !(byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
        text.append(byte)
    }
    var sha = SHA1()
    sha.update(Array("blob \(text.count)\u{0}".utf8))
    sha.update(text)
    return sha.finish().map { byte in
        let hex = String(byte, radix: 16)
        return byte < 16 ? "0" + hex : hex
    }.joined()
}

/// SHA-1 (FIPS 180-4), enough of it for git's object names. Not for security: SHA-1 only
/// names content here, as it does in git.
struct SHA1 {
    private var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    mutating func update(_ bytes: [UInt8]) {
        length += UInt64(bytes.count)
        pending += bytes
        var start = 0
        while pending.count - start >= 64 {
            compress(pending[start..<(start + 64)])
            start += 64
        }
        pending.removeFirst(start)
    }

    /// The 20 bytes of the digest.
    mutating func finish() -> [UInt8] {
        let bits = length * 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        pending += tail
        for start in stride(from: 0, to: pending.count, by: 64) { compress(pending[start..<(start + 64)]) }
        pending = []
        return state.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    }

    private mutating func compress(_ block: ArraySlice<UInt8>) {
        var words = [UInt32](repeating: 0, count: 80)
        let base = block.startIndex
        for index in 0..<16 {
            words[index] = (0..<4).reduce(UInt32(0)) { word, offset in word << 8 | UInt32(block[base + 4 * index + offset]) }
        }
        for index in 16..<80 {
            let mixed = words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16]
            words[index] = mixed << 1 | mixed >> 31
        }
        var (a, b, c, d, e) = (state[0], state[1], state[2], state[3], state[4])
        for index in 0..<80 {
            let (f, k): (UInt32, UInt32) = switch index {
            case 0..<20: ((b & c) | (~b & d), 0x5A82_7999)
            case 20..<40: (b ^ c ^ d, 0x6ED9_EBA1)
            case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
            default: (b ^ c ^ d, 0xCA62_C1D6)
            }
            let temporary = (a << 5 | a >> 27) &+ f &+ e &+ k &+ words[index]
            (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temporary)
        }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
        state[4] &+= e
    }
}
