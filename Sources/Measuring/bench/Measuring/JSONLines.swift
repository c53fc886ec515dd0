// The bench links only the essentials of Foundation where that is its own library (Linux: see
// `runProcess`); macOS ships Foundation as one system framework.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--json`: every row, then every target check, as one JSON object per line, after the table.
/// Each object has a `"kind"` (`"row"` or `"target"`) next to the fields of `Row` or
/// `TargetResult`; the table's lines never start with `{`, so `grep '^{'` extracts them.
///
///     {"kind":"row","key":"submit.ours.rate","suite":"submit","unit":"tasks/s","summary":{"median":482000,...},...}
func printJSONLines(rows: [Row], targets: [TargetResult]) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    func emit(_ line: some Encodable) {
        guard let data = try? encoder.encode(line) else { return }
        print(String(decoding: data, as: UTF8.self))
    }
    for row in rows { emit(JSONLine(kind: "row", body: row)) }
    for target in targets { emit(JSONLine(kind: "target", body: target)) }
}

/// A value's fields with a `"kind"` field added at the same level.
private struct JSONLine<Body: Encodable>: Encodable {
    var kind: String
    var body: Body

    private enum Keys: String, CodingKey { case kind }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(kind, forKey: .kind)
        try body.encode(to: encoder)  // the body's own keys join the same object
    }
}
