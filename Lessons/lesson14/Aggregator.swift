// Project 4 of lesson 14: an API data aggregator. Several endpoints are called at once, each
// with a timeout of its own; what came back is merged into one report, with what is missing
// and why. The aggregator owns its pool: it makes it when it starts and shuts it down in
// `close()`. The whole Python original is in the lesson's notes (README.md).

import ConcurrentFutures
import LessonSupport

/// One endpoint the aggregator calls: its name, its URL, and how long it may take.
struct Endpoint: Sendable {
    var name: String
    var url: String
    var timeout: Duration
}

/// The aggregator's answer: the data that came back, and for everything else, why not.
struct AggregateReport {
    /// Each endpoint's reply body, by name.
    var data: [String: String] = [:]
    /// Why each missing endpoint is missing, by name.
    var missing: [String: String] = [:]
}

// snippet: aggregator
/// Calls every endpoint at once on a pool it owns, each call with its endpoint's timeout, and
/// merges what comes back into one report.
final class Aggregator {
    private let pool: ThreadPoolExecutor

    init(workers: Int, observer: (@Sendable (TaskEvent) -> Void)? = nil) throws {
        pool = try ThreadPoolExecutor(maxWorkers: workers, threadNamePrefix: "aggregator",
                                      observer: observer)
    }

    func report(from endpoints: [Endpoint]) throws -> AggregateReport {
        let futures = try endpoints.map { endpoint in
            try pool.submit(label: endpoint.name) {
                let reply = try HTTPClient.get(endpoint.url, timeout: endpoint.timeout)
                return try reply.ensureSuccess().text
            }
        }
        var report = AggregateReport()
        for (endpoint, future) in zip(endpoints, futures) {
            do {
                report.data[endpoint.name] = try future.result()
            } catch HTTPClientError.timedOut(let after) {
                report.missing[endpoint.name] = "no answer within \(after.readable)"
            } catch {
                report.missing[endpoint.name] = "\(error)"
            }
        }
        return report
    }

    /// Shuts the pool down, waiting for its threads.
    func close() {
        pool.shutdown()
    }
}
// snippet end

/// The local API: `/api/weather` answers at once, `/api/news` slowly, `/api/stocks` with an
/// error, and `/api/traffic` never (the server's `stop()` ends its wait).
func apiHandler(slowDelay: Duration) -> @Sendable (HTTPRequest) -> LocalHTTPServer.Reply? {
    { request in
        switch request.path {
        case "/api/weather": LocalHTTPServer.Reply(text: #"{"sky": "sunny", "celsius": 21}"#)
        case "/api/news": LocalHTTPServer.Reply(text: #"{"headlines": 3}"#, delay: slowDelay)
        case "/api/stocks": LocalHTTPServer.Reply(status: 503, text: "503 Service Unavailable\n")
        case "/api/traffic": LocalHTTPServer.Reply(text: #"{"jams": 0}"#, delay: .seconds(3_600))
        default: nil
        }
    }
}
