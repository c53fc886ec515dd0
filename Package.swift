// swift-tools-version: 6.0
//
// The workbook is one package with no dependencies outside the Swift toolchain.
//
//   Sources/ConcurrentFutures  the pool library: a Swift port of Python's concurrent.futures
//   Tests/                     `swift test`
import PackageDescription

/// GNU extensions of Glibc (`pthread_setname_np`, `pipe2`, ...) are hidden unless `_GNU_SOURCE`
/// is defined for the Clang importer. A plain define, no unsafe flags.
let glibcExtensions: [CSetting] = [.define("_GNU_SOURCE")]

let package = Package(
    name: "ThreadPoolWorkbook",
    products: [
        .library(name: "ConcurrentFutures", targets: ["ConcurrentFutures"]),
    ],
    targets: [
        .target(
            name: "ConcurrentFutures",
            cSettings: glibcExtensions
        ),
        .testTarget(
            name: "ConcurrentFuturesTests",
            dependencies: ["ConcurrentFutures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
