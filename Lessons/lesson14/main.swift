// Lesson 14 — Projects
//
// Four small programs that combine what the course has shown: a concurrent word counter over
// a folder of text files (bad files reported, not fatal), a link checker against the lesson's
// web server (some links broken, some too slow), a batch of thumbnails made from real image
// files, and an API data aggregator (one endpoint slow, one failing, one that never answers).
// Each project is in a file of its own; the lesson runs them and shows their code.
//
//   swift run lesson14            normal speed (about 3 s)
//   swift run lesson14 --fast     smaller inputs, delays divided by 10
//   swift run lesson14 --step     pause after each section (presenter mode)
//   swift run lesson14 --help

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // mkdir

let info = LessonInfo(
    number: 14, title: "Projects",
    summary: "A concurrent word counter over generated text files, a link checker against a local\n"
        + "web server, a thumbnail batch of generated PPM images, and an API aggregator with a\n"
        + "timeout per endpoint, each timed.",
    sections: ["The concurrent word counter", "A link checker", "A batch of thumbnails", "An API data aggregator"])
let options = LessonOptions.parseOrExit(info)
let cores = usableCoreCount()

/// Runs `body` and returns its result, the wall time, and how many cores were busy on average
/// (CPU time of the whole process divided by wall time).
func measureWithCores<T>(_ body: () throws -> T) rethrows -> (result: T, wall: Duration, busyCores: Double) {
    let cpuBefore = Stopwatch.processCPUTime()
    let (value, wall) = try Stopwatch.measure(body)
    let cpu = Stopwatch.processCPUTime() - cpuBefore
    return (value, wall, wall > .zero ? cpu / wall : 0)
}

lesson(info)
say("""
    Four small programs, each the kind of job thread pools are made for, each built from \
    pieces of the earlier lessons: `submit` and a dictionary from futures to inputs (lesson 04), \
    `asCompleted` (04), errors kept with their inputs (07), timeouts (08), `map` (03), the \
    right pool size for the work (11) and a pool with an owner (10). All files live in a \
    temporary folder that the lesson deletes at the end.
    """)
let folder = makeTemporaryFolder("lesson14")
result("working folder", folder)

section("The concurrent word counter")
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
    snippet: "word-counter",
    python: """
        inputs = {ex.submit(count_words, path): path
                  for path in paths}
        total, bad = Counter(), []
        for future in as_completed(inputs):
            try:
                total.update(future.result())
            except (OSError, UnicodeError) as error:
                bad.append((inputs[future], error))
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
let (counted, pooledTime, countingCores) = try measureWithCores {
    try withThreadPool(maxWorkers: cores, threadNamePrefix: "counter") { pool in
        try countAllWords(textFiles, on: pool)
    }
}
let wordTotal = counted.total
let badFiles = counted.bad.map { (name: String($0.path.split(separator: "/").last!), problem: "\($0.error)") }
let allWords = wordTotal.values.reduce(0, +)
result("files counted", "\(textFiles.count - badFiles.count) of \(textFiles.count)")
for bad in badFiles.sorted(by: { $0.name < $1.name }) {
    result("skipped \(bad.name)", bad.problem)
}
result("words", "\(grouped(allWords)), \(wordTotal.count) different")
show("")
let top = wordTotal.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10)
let topCount = top.first?.value ?? 1
for (rank, entry) in top.enumerated() {
    let name = "\(rank + 1 < 10 ? " " : "")\(rank + 1). \(entry.key)"
    let count = grouped(entry.value)
    let bar = String(repeating: "▇", count: max(1, entry.value * 40 / topCount))
    show("  " + name + String(repeating: " ", count: max(1, 16 - name.count))
        + String(repeating: " ", count: max(0, 7 - count.count)) + count + "  " + Terminal.paint(bar, [.cyan], enabled: Terminal.isColorEnabled))
}
show("")
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

section("A link checker")
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
    a deadline of \(linkTimeout.readable) (`linkTimeout`): a link that answers later than that \
    counts as too slow. Some pages are gone, some servers are down, some are slow.
    """)
code(
    snippet: "link-checker",
    python: """
        futures = [ex.submit(check, link, timeout=link_timeout)
                   for link in links]
        checks = [f.result() for f in futures]
        """)
let absoluteTargets = targets.map { $0.hasPrefix("http://") ? $0 : server.url($0) }
let (checks, checkTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: 16, threadNamePrefix: "checker") { pool in
        try checkAll(absoluteTargets, timeout: linkTimeout, on: pool)
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
exercise(
    id: "14b",
    description: "Check links concurrently, each once, in order, with at most `perHostLimit` requests to "
        + "one host at a time.")

section("A batch of thumbnails")
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
    snippet: "thumbnails",
    python: """
        sizes = list(ex.map(
            partial(make_thumbnail, output_folder=folder,
                    factor=factor), paths))
        """)
let (_, sequentialThumbnailTime) = try Stopwatch.measure {
    for path in imagePaths { _ = try makeThumbnail(path, outputFolder: thumbnailFolder, factor: factor) }
}
let (thumbnailSizes, pooledThumbnailTime, thumbnailCores) = try measureWithCores {
    try withThreadPool(maxWorkers: cores, threadNamePrefix: "thumbs") { pool in
        try makeThumbnails(imagePaths, into: thumbnailFolder, factor: factor, on: pool)
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
    show(lines: preview(thumbnail, columns: 40).map { "    " + $0 })
    show("")
}
say("""
    Decoding and shrinking is CPU work: one worker per core again, and the same ceiling on the \
    speed-up. The file reads and writes are short next to the arithmetic; with big images on a \
    slow disk they would not be, and a few more workers than cores would help.
    """)

section("An API data aggregator")
let quickTimeout = options.scaled(.milliseconds(300))
let slowTimeout = options.scaled(.milliseconds(800))
let newsDelay = options.scaled(.milliseconds(450))
let apiServer = try LocalHTTPServer(configuration: .init(handler: apiHandler(slowDelay: newsDelay)))
let endpoints = [
    Endpoint(name: "weather", url: apiServer.url("/api/weather"), timeout: quickTimeout),
    Endpoint(name: "news", url: apiServer.url("/api/news"), timeout: slowTimeout),
    Endpoint(name: "stocks", url: apiServer.url("/api/stocks"), timeout: quickTimeout),
    Endpoint(name: "traffic", url: apiServer.url("/api/traffic"), timeout: quickTimeout),
]
say("""
    A dashboard shows data from four services of the lesson's server: weather answers at once, \
    news takes \(newsDelay.readable), stocks is down (503), and traffic never answers at all. \
    The aggregator calls all four at once, each with a timeout of its own (news is known to be \
    slow: it gets \(slowTimeout.readable); the others \(quickTimeout.readable)), and merges what \
    comes back into one report that says what is missing and why. It owns its pool: it makes \
    it when it starts and shuts it down in `close()`.
    """)
code(
    snippet: "aggregator",
    python: """
        class Aggregator:
            def __init__(self, workers):
                self.pool = ThreadPoolExecutor(workers,
                    thread_name_prefix="aggregator")

            def report(self, endpoints):
                futures = [self.pool.submit(get_text,
                               e.url, timeout=e.timeout)
                           for e in endpoints]
                data, missing = {}, {}
                for e, future in zip(endpoints, futures):
                    try:
                        data[e.name] = future.result()
                    except TimeoutError:
                        missing[e.name] = (
                            f"no answer within {e.timeout} s")
                    except Exception as error:
                        missing[e.name] = str(error)
                return data, missing

            def close(self):
                self.pool.shutdown()
        """)
let aggregatorRecorder = TaskEventRecorder()
let aggregator = try Aggregator(workers: endpoints.count, observer: aggregatorRecorder.record)
let (report, aggregateTime) = try Stopwatch.measure { try aggregator.report(from: endpoints) }
aggregator.close()
apiServer.stop()
let reportWidths = [10, 9]
for endpoint in endpoints {
    if let data = report.data[endpoint.name] {
        tableRow([endpoint.name, "ok", data], widths: reportWidths + [40], numbers: false)
    } else {
        tableRow([endpoint.name, "missing", report.missing[endpoint.name] ?? "?"], widths: reportWidths + [40], numbers: false)
    }
}
show("")
result("the report took", "\(aggregateTime.readable) (about its slowest call, not the sum of all four)")
Timeline.print([TimelineSection("the aggregator's pool", spans: TimelineSpan.spans(from: aggregatorRecorder.events))])
say("""
    Every call started at once, so the report took about as long as its slowest call: the \
    news, which came in within its own generous timeout. Traffic never answered, and its own timeout ended \
    that task (drawn with x), freeing its worker; stocks failed at once. Had every endpoint \
    shared the short timeout, the news would be missing too; had the aggregator only put a \
    timeout on `result()`, the traffic call would still hold a worker (lesson 08). The report is \
    partial and says so, which is what a dashboard needs.
    """)

removeTree(folder)

takeaways([
    "A dictionary from future to input (Python: `{ex.submit(f, x): x for x in xs}`) keeps every result and every error tied to what produced it.",
    "Bad inputs are reported, not fatal: catch each future's error in the `asCompleted` loop and carry on.",
    "Size the pool by the kind of work: one thread per core for counting words or shrinking images, one per waiting request for link checks.",
    "Give every network call a deadline of its own; the slowest server then costs its deadline, not forever, and the report says what is missing and why.",
    "Check a concurrent result against a simple sequential one at least once.",
])
exercise(
    id: "14a",
    description: "Count the words of a folder of text files concurrently, merge the counts and rank the top "
        + "10; bad files are reported, not fatal.")
nextStep(command: "swift run lesson15")
