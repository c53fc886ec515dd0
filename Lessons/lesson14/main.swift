// Lesson 14 — Projects
//
// Three small programs that combine what the course has shown: a concurrent word counter over
// a folder of text files (bad files reported, not fatal), a link checker against the lesson's
// web server (some links broken, some too slow), and a batch of thumbnails made from real
// image files.
//
//   swift run lesson14            normal speed (about 3 s)
//   swift run lesson14 --fast     smaller inputs, delays divided by 10
//   swift run lesson14 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

let info = LessonInfo(
    number: 14, title: "Projects",
    summary: "A concurrent word counter over generated text files, a link checker against a local\n"
        + "web server, and a thumbnail batch of generated PPM images, each timed.")
let options = LessonOptions.parseOrExit(info)
let cores = ProcessPoolExecutor.defaultMaxWorkers

// MARK: - Files (plain POSIX calls, no Foundation)

/// A failed file operation, with the system's explanation ("No such file or directory").
struct FileError: Error, CustomStringConvertible {
    let path: String
    let code: Int32
    var description: String { String(cString: strerror(code)) }
}

/// The whole content of the file at `path`.
func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, code: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { throw FileError(path: path, code: errno) }
        if count == 0 { return bytes }
        bytes += block[..<count]
    }
}

/// Writes `bytes` to a new file at `path`.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileError(path: path, code: errno) }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { throw FileError(path: path, code: errno) }
        offset += written
    }
}

/// The names in a directory (without "." and ".."), sorted.
func listDirectory(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Deletes `path` and everything below it (symbolic links are removed, never followed).
func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
        for name in listDirectory(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// A new, empty temporary folder.
func makeTemporaryFolder(_ prefix: String) -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { fatalError("mkdtemp failed") }
    return String(cString: path)
}

/// A small, repeatable random number generator, so every run makes the same files.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}

// MARK: - Printing helpers

/// Runs `body` and returns its result, the wall time, and how many cores were busy on average
/// (CPU time of the whole process divided by wall time).
func measureWithCores<T>(_ body: () throws -> T) rethrows -> (result: T, wall: Duration, busyCores: Double) {
    let cpuBefore = Stopwatch.processCPUTime()
    let (value, wall) = try Stopwatch.measure(body)
    let cpu = Stopwatch.processCPUTime() - cpuBefore
    return (value, wall, wall > .zero ? cpu / wall : 0)
}

/// 1.83 as "1.8".
func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

/// 1234567 as "1,234,567".
func grouped(_ number: Int) -> String {
    let digits = String(number)
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
        text.append(digit)
    }
    return text
}

// MARK: - Project 1: the word counter

/// Words the generated corpus is made of, most common first (their frequencies fall off like
/// those of real text).
let vocabulary = """
    the of and to a in is it you that he was for on are with as his they be at one have this from \
    or had by hot word but what some we can out other were all there when up use your how said an \
    each she which do their time if will way about many then them write would like so these her \
    long make thing see him two has look more day could go come did number sound no most people \
    my over know water than call first who may down side been now find pool thread future queue \
    worker task result error timeout cancel deadlock lock process memory signal socket server page
    """.split(separator: " ").map(String.init)

/// Writes `count` chapters of generated prose into `folder`, plus three files that cannot be
/// counted: one in Latin-1 instead of UTF-8, a link to a file that does not exist, and a folder
/// whose name ends in .txt.
func writeCorpus(into folder: String, chapters count: Int, wordsPerChapter: Int) throws {
    var random = SeededGenerator(state: 2024)
    for chapter in 1...count {
        var text = ""
        for index in 0..<wordsPerChapter {
            // Squaring a uniform number favours the start of the list: a rough Zipf curve.
            let uniform = Double(random.next() % 1_000_000) / 1_000_000
            text += vocabulary[Int(uniform * uniform * Double(vocabulary.count))]
            text += index % 12 == 11 ? ".\n" : " "
        }
        try writeFile(folder + "/chapter-\(chapter < 10 ? "0" : "")\(chapter).txt", Array(text.utf8))
    }
    // "café crème" in Latin-1: 0xE9 and 0xE8 are not valid UTF-8 on their own.
    try writeFile(folder + "/notes-latin1.txt", Array("caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me\n".utf8))
    symlink(folder + "/moved-away.txt", folder + "/broken-link.txt")
    mkdir(folder + "/drafts.txt", 0o755)
}

/// Why a file could not be counted.
struct NotUTF8: Error, CustomStringConvertible {
    let offset: Int
    var description: String { "not valid UTF-8 (byte \(offset))" }
}

/// Counts the words of one file. A word is a run of letters (any non-ASCII UTF-8 character
/// counts as a letter, so "café" stays one word), lower-cased.
func countWords(inFile path: String) throws -> [String: Int] {
    let bytes = try readFile(path)
    guard String(validating: bytes, as: UTF8.self) != nil else {
        let offset = bytes.firstIndex { $0 >= 0x80 } ?? 0
        throw NotUTF8(offset: offset)
    }
    var counts: [String: Int] = [:]
    var word: [UInt8] = []
    for byte in bytes + [0x20] {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), 0x80...0xFF: word.append(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
        default:
            if !word.isEmpty {
                counts[String(decoding: word, as: UTF8.self), default: 0] += 1
                word.removeAll(keepingCapacity: true)
            }
        }
    }
    return counts
}

/// Adds the counts of one file to the running total.
func merge(_ counts: [String: Int], into total: inout [String: Int]) {
    for (word, count) in counts { total[word, default: 0] += count }
}

// MARK: - Project 2: the link checker

/// The page the link checker starts from: a list of links, some good, some not.
let siteIndex = """
    <html><body><h1>Workbook links</h1><ul>
    <li><a href="/page/1">Chapter 1</a></li>
    <li><a href="/page/2">Chapter 2</a></li>
    <li><a href="/page/3">Chapter 3</a></li>
    <li><a href="/page/2">Chapter 2 again</a></li>
    <li><a href="/page/4?delay=SLOW">Archive (slow server)</a></li>
    <li><a href="/page/5">Chapter 5</a></li>
    <li><a href="/old/chapter-6.html">Chapter 6 (moved)</a></li>
    <li><a href="/page/7">Chapter 7</a></li>
    <li><a href="/status/500">Search</a></li>
    <li><a href="/page/9">Chapter 9</a></li>
    <li><a href="/page/10?delay=SLOW">Mirror (slow server)</a></li>
    <li><a href="/status/503">Forum (down for maintenance)</a></li>
    <li><a href="/page/12">Chapter 12</a></li>
    <li><a href="http://127.0.0.1:1/">Old wiki (nobody listening)</a></li>
    <li><a href="/page/14">Chapter 14</a></li>
    <li><a href="/page/15">Chapter 15</a></li>
    </ul></body></html>
    """

/// Serves the site's index page at `/site/`; everything else goes to the built-in routes.
func siteHandler(slowDelay: Duration) -> @Sendable (HTTPRequest) -> LocalHTTPServer.Reply? {
    let page = siteIndex.replacingSlow(with: Int(slowDelay.inMilliseconds))
    return { request in
        request.path == "/site/" ? LocalHTTPServer.Reply(text: page) : nil
    }
}

extension String {
    /// The index page with the placeholder SLOW replaced by a number of milliseconds.
    func replacingSlow(with milliseconds: Int) -> String {
        split(separator: "SLOW", omittingEmptySubsequences: false).joined(separator: "\(milliseconds)")
    }
}

/// The targets of every `href="..."` in `html`, in order, without duplicates.
func links(in html: String) -> [String] {
    var found: [String] = []
    var rest = Substring(html)
    while let start = rest.firstRange(of: "href=\"") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { break }
        let link = String(rest[..<end])
        if !found.contains(link) { found.append(link) }
        rest = rest[end...]
    }
    return found
}

/// What checking one link found.
enum LinkStatus: Sendable {
    case ok(Int)
    case broken(Int, String)
    case tooSlow
    case unreachable(String)
}

/// Checks one link: a GET with a deadline. Never throws: every outcome is a status.
func check(_ url: String, timeout: Duration) -> (status: LinkStatus, time: Duration) {
    let clock = Stopwatch()
    do {
        let response = try HTTPClient.get(url, timeout: timeout)
        let status: LinkStatus = response.isSuccess ? .ok(response.status) : .broken(response.status, response.reason)
        return (status, clock.elapsed)
    } catch .timedOut {
        return (.tooSlow, clock.elapsed)
    } catch {
        return (.unreachable("\(error)"), clock.elapsed)
    }
}

// MARK: - Project 3: thumbnails

/// An RGB image, 8 bits per channel.
struct Image {
    var width: Int
    var height: Int
    var pixels: [UInt8]
}

struct ImageFormatError: Error, CustomStringConvertible {
    let description: String
}

/// Encodes an image as binary PPM (P6): a short text header, then the raw RGB bytes.
func ppm(_ image: Image) -> [UInt8] {
    Array("P6\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
}

/// Decodes a binary PPM file with 8-bit channels.
func decodePPM(_ bytes: [UInt8]) throws -> Image {
    var fields: [String] = []
    var index = 0
    while fields.count < 4 && index < bytes.count {
        while index < bytes.count && [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        let start = index
        while index < bytes.count && ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
    }
    index += 1  // the single whitespace byte after the header
    guard fields.count == 4, fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
          bytes.count - index == width * height * 3
    else { throw ImageFormatError(description: "not an 8-bit binary PPM") }
    return Image(width: width, height: height, pixels: Array(bytes[index...]))
}

/// A test picture: a colour gradient with a bright disc, different for each `number`.
func testPicture(number: Int, width: Int, height: Int) -> Image {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    let centreX = width * (1 + number % 5) / 6
    let centreY = height * (1 + number % 3) / 4
    let radius = height / 4
    for y in 0..<height {
        for x in 0..<width {
            let offset = (y * width + x) * 3
            let dx = x - centreX, dy = y - centreY
            if dx * dx + dy * dy < radius * radius {
                pixels[offset] = 250; pixels[offset + 1] = 240; pixels[offset + 2] = 200
            } else {
                pixels[offset] = UInt8(x * 200 / width)
                pixels[offset + 1] = UInt8(y * 160 / height)
                pixels[offset + 2] = UInt8((number * 40) % 200)
            }
        }
    }
    return Image(width: width, height: height, pixels: pixels)
}

/// Shrinks an image by `factor` in each direction, each new pixel the average of a
/// factor × factor block (a box filter).
func shrink(_ image: Image, by factor: Int) -> Image {
    let width = image.width / factor, height = image.height / factor
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    let area = factor * factor
    for y in 0..<height {
        for x in 0..<width {
            var sums = (0, 0, 0)
            for sy in (y * factor)..<(y * factor + factor) {
                var offset = (sy * image.width + x * factor) * 3
                for _ in 0..<factor {
                    sums.0 += Int(image.pixels[offset])
                    sums.1 += Int(image.pixels[offset + 1])
                    sums.2 += Int(image.pixels[offset + 2])
                    offset += 3
                }
            }
            let target = (y * width + x) * 3
            pixels[target] = UInt8(sums.0 / area)
            pixels[target + 1] = UInt8(sums.1 / area)
            pixels[target + 2] = UInt8(sums.2 / area)
        }
    }
    return Image(width: width, height: height, pixels: pixels)
}

/// Reads one image file, writes its thumbnail into `outputFolder`; returns the bytes read and written.
func makeThumbnail(_ path: String, outputFolder: String, factor: Int) throws -> (read: Int, written: Int) {
    let input = try readFile(path)
    let thumbnail = ppm(shrink(try decodePPM(input), by: factor))
    let name = path.split(separator: "/").last.map(String.init) ?? "image.ppm"
    try writeFile(outputFolder + "/" + name, thumbnail)
    return (input.count, thumbnail.count)
}

/// A picture drawn with characters, darkest to brightest.
func preview(_ image: Image, columns: Int) -> [String] {
    let shades = Array(" .:-=+*#%@")
    let step = max(1, image.width / columns)
    var lines: [String] = []
    for y in stride(from: 0, to: image.height, by: step * 2) {  // characters are twice as tall as wide
        var line = ""
        for x in stride(from: 0, to: image.width, by: step) {
            let offset = (y * image.width + x) * 3
            let brightness = (Int(image.pixels[offset]) * 3 + Int(image.pixels[offset + 1]) * 6 + Int(image.pixels[offset + 2])) / 10
            line.append(shades[brightness * (shades.count - 1) / 255])
        }
        lines.append(line)
    }
    return lines
}

// MARK: - The lesson

lesson(info)
say("""
    Three small programs, each the kind of job thread pools are made for, each built from \
    pieces of the earlier lessons: `submit` and a dictionary from futures to inputs (lesson 04), \
    `asCompleted` (04), errors kept with their inputs (07), timeouts (08), `map` (03) and the \
    right pool size for the work (11). All files live in a temporary folder that the lesson \
    deletes at the end.
    """)
let folder = makeTemporaryFolder("lesson14")
print()
result("working folder", folder)

// MARK: Project 1

section("Project 1: the concurrent word counter")
let chapterCount = options.fast ? 16 : 48
let wordsPerChapter = options.fast ? 800 : 3_000
let corpus = folder + "/corpus"
mkdir(corpus, 0o755)
try writeCorpus(into: corpus, chapters: chapterCount, wordsPerChapter: wordsPerChapter)
let textFiles = listDirectory(corpus).filter { $0.hasSuffix(".txt") }.map { corpus + "/" + $0 }
say("""
    A folder of text files: \(chapterCount) chapters of about \(grouped(wordsPerChapter)) words \
    each, plus three that will not read: a file saved in Latin-1 rather than UTF-8, a link to a \
    file that was moved away, and a folder whose name ends in `.txt`. The job: count every word \
    in every file, on a pool, report the bad files without stopping, and print the top 10 words.
    """)
code(
    swift: """
        var inputs: [Future<[String: Int]>: String] = [:]
        for path in paths {
            inputs[try pool.submit {
                try countWords(inFile: path) }] = path
        }
        var total: [String: Int] = [:]
        try asCompleted(inputs.keys).forEach { f in
            do { merge(try f.result(), into: &total) }
            catch { bad.append((inputs[f]!, error)) }
        }
        """,
    python: """
        inputs = {ex.submit(count_words, path): path
                  for path in paths}

        total = Counter()
        for f in as_completed(inputs):
            try:
                total.update(f.result())
            except (OSError, UnicodeError) as e:
                bad.append((inputs[f], e))
        """)

// One thread, as the baseline and as the reference answer.
let (sequentialTotal, sequentialTime) = Stopwatch.measure {
    var total: [String: Int] = [:]
    for path in textFiles {
        if let counts = try? countWords(inFile: path) { merge(counts, into: &total) }
    }
    return total
}

// The pool: one task per file, merged as they finish.
var wordTotal: [String: Int] = [:]
var badFiles: [(name: String, problem: String)] = []
let (_, pooledTime, countingCores) = try measureWithCores {
    try withThreadPool(maxWorkers: cores, threadNamePrefix: "counter") { pool in
        var inputs: [Future<[String: Int]>: String] = [:]
        for path in textFiles {
            inputs[try pool.submit { try countWords(inFile: path) }] = path
        }
        try asCompleted(inputs.keys).forEach { future in
            do {
                merge(try future.result(), into: &wordTotal)
            } catch {
                badFiles.append((String(inputs[future]!.split(separator: "/").last!), "\(error)"))
            }
        }
    }
}
let allWords = wordTotal.values.reduce(0, +)
result("files counted", "\(textFiles.count - badFiles.count) of \(textFiles.count)")
for bad in badFiles.sorted(by: { $0.name < $1.name }) {
    result("skipped \(bad.name)", bad.problem)
}
result("words", "\(grouped(allWords)), \(wordTotal.count) different")
print()
let top = wordTotal.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10)
let topCount = top.first?.value ?? 1
for (rank, entry) in top.enumerated() {
    let name = "\(rank + 1 < 10 ? " " : "")\(rank + 1). \(entry.key)"
    let count = grouped(entry.value)
    let bar = String(repeating: "▇", count: max(1, entry.value * 40 / topCount))
    print("  " + name + String(repeating: " ", count: max(1, 16 - name.count))
        + String(repeating: " ", count: max(0, 7 - count.count)) + count + "  " + Terminal.paint(bar, .cyan))
}
print()
result("one thread", sequentialTime.readable)
result("pool of \(cores) (one per core)", "\(pooledTime.readable), \(Stopwatch.speedUp(from: sequentialTime, to: pooledTime))")
result("cores kept busy during the pool run", "\(oneDecimal(countingCores)) on average")
result("same counts as the single thread", wordTotal == sequentialTotal ? "yes" : "NO")
say("""
    The bad files cost one line each in the report and nothing else: each error stayed in its \
    own future, tied to its path by the dictionary. Counting words is CPU work, so the pool has \
    one worker per core, and the speed-up can approach the number of cores, no more. It is less \
    when other programs keep the same cores busy: the "cores kept busy" figure shows how much \
    of the machine the lesson actually got.
    """)

// MARK: Project 2

section("Project 2: a link checker")
let linkTimeout = options.scaled(.milliseconds(300))
let slowDelay = options.scaled(.milliseconds(1_500))
let pageDelay = options.scaled(.milliseconds(120))
let server = try LocalHTTPServer(configuration: .init(pageSize: 3_000, pageDelay: pageDelay, handler: siteHandler(slowDelay: slowDelay)))
let siteURL = server.url("/site/")
let indexPage = try HTTPClient.get(siteURL).ensureSuccess().text
let targets = links(in: indexPage)
say("""
    The lesson's server has a small site at \(siteURL). The checker downloads the index page, \
    finds its links (\(targets.count) different ones), and checks them all at once, each with \
    a deadline of \(linkTimeout.readable): a link that answers later than that counts as too \
    slow. Some pages are gone, some servers are down, some are slow.
    """)
code(
    swift: """
        let futures = try links.map { link in
            try pool.submit { check(link, timeout: t) }
        }
        """,
    python: """
        futures = [ex.submit(check, link, timeout=t)
                   for link in links]
        """)
let absoluteTargets = targets.map { $0.hasPrefix("http://") ? $0 : server.url($0) }
let (checks, checkTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: 16, threadNamePrefix: "checker") { pool in
        let futures = try absoluteTargets.map { url in try pool.submit { check(url, timeout: linkTimeout) } }
        return try futures.map { try $0.result() }
    }
}
var okCount = 0
for (link, outcome) in zip(targets, checks) {
    switch outcome.status {
    case .ok: okCount += 1
    case .broken(let code, let reason): result(link, "broken: \(code) \(reason)")
    case .tooSlow: result(link, "too slow: no answer within \(linkTimeout.readable)")
    case .unreachable(let problem): resultBlock(link, "unreachable: \(problem)")
    }
}
result("links that work", "\(okCount) of \(targets.count)")
let oneByOne = checks.map(\.time).reduce(.zero, +)
result("checked in", "\(checkTime.readable) (one by one: \(oneByOne.readable), the sum of the checks)")
say("""
    The whole check took about as long as the slowest single check, the deadline, because the \
    waits overlapped: downloads are I/O-bound, so the pool has a thread per link, not one per \
    core. The per-request deadline keeps one dead server from holding up the report.
    """)
server.stop()

// MARK: Project 3

section("Project 3: a batch of thumbnails")
let imageCount = options.fast ? 6 : 12
let (imageWidth, imageHeight) = options.fast ? (320, 240) : (640, 480)
let factor = 8
let imageFolder = folder + "/images"
let thumbnailFolder = folder + "/thumbnails"
mkdir(imageFolder, 0o755)
mkdir(thumbnailFolder, 0o755)
// The pictures themselves are made on a pool too: independent jobs, one per picture.
try withThreadPool(maxWorkers: cores) { pool in
    let jobs = try (0..<imageCount).map { number in
        try pool.submit {
            try writeFile(imageFolder + "/photo-\(number < 10 ? "0" : "")\(number).ppm",
                          ppm(testPicture(number: number, width: imageWidth, height: imageHeight)))
        }
    }
    for job in jobs { try job.result() }
}
let imagePaths = listDirectory(imageFolder).map { imageFolder + "/" + $0 }
say("""
    \(imageCount) photos of \(imageWidth)×\(imageHeight) pixels in PPM format (a header and raw \
    RGB bytes, simple enough to decode by hand) in \(imageFolder). Each one is read, decoded, \
    shrunk \(factor) times in each direction by averaging blocks of pixels, and written to \
    \(thumbnailFolder). Real files, real arithmetic.
    """)
code(
    swift: """
        let sizes = try Array(pool.map(paths) { path in
            try makeThumbnail(path, outputFolder: out,
                              factor: \(factor))
        })
        """,
    python: """
        sizes = list(ex.map(
            partial(make_thumbnail, output_folder=out,
                    factor=\(factor)), paths))
        """)
let (_, sequentialThumbnailTime) = try Stopwatch.measure {
    for path in imagePaths { _ = try makeThumbnail(path, outputFolder: thumbnailFolder, factor: factor) }
}
let (thumbnailSizes, pooledThumbnailTime, thumbnailCores) = try measureWithCores {
    try withThreadPool(maxWorkers: cores, threadNamePrefix: "thumbs") { pool in
        try Array(pool.map(imagePaths) { path in try makeThumbnail(path, outputFolder: thumbnailFolder, factor: factor) })
    }
}
let bytesRead = thumbnailSizes.map(\.read).reduce(0, +)
let bytesWritten = thumbnailSizes.map(\.written).reduce(0, +)
result("thumbnails written", "\(listDirectory(thumbnailFolder).count), \(imageWidth / factor)×\(imageHeight / factor) pixels each")
result("bytes read / written", "\(grouped(bytesRead)) / \(grouped(bytesWritten))")
result("one thread", sequentialThumbnailTime.readable)
result("pool of \(cores)", "\(pooledThumbnailTime.readable), \(Stopwatch.speedUp(from: sequentialThumbnailTime, to: pooledThumbnailTime))")
result("cores kept busy during the pool run", "\(oneDecimal(thumbnailCores)) on average")
if let first = listDirectory(thumbnailFolder).first, let thumbnail = try? decodePPM(readFile(thumbnailFolder + "/" + first)) {
    say("The first thumbnail, \(first), read back from its file and drawn with characters:")
    for line in preview(thumbnail, columns: 40) { print("    " + line) }
    print()
}
say("""
    Decoding and shrinking is CPU work: one worker per core again, and the same ceiling on the \
    speed-up. The file reads and writes are short next to the arithmetic; with big images on a \
    slow disk they would not be, and a few more workers than cores would help.
    """)

removeTree(folder)

takeaways([
    "A dictionary from future to input (Python: `{ex.submit(f, x): x for x in xs}`) keeps every result and every error tied to what produced it.",
    "Bad inputs are reported, not fatal: catch each future's error in the `asCompleted` loop and carry on.",
    "Size the pool by the kind of work: one thread per core for counting words or shrinking images, one per waiting request for link checks.",
    "Give every network call a deadline; the slowest server then costs the deadline, not forever.",
    "Check a concurrent result against a simple sequential one at least once.",
])
exercise(
    command: "swift run workbook check 14a",
    description: "The concurrent word counter: scan a folder of text files, count words on a pool, report bad files without stopping, and return the top 10 words.")
nextStep(command: "swift run lesson15")
