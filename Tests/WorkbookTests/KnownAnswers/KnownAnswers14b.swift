import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

/// One link's outcome, the way the solution makes it (or with the error's localized description).
func outcome(_ link: String, _ fetchStatus: (String) throws -> Int, localized: Bool = false) -> LinkResult.Outcome {
    do { return .status(try fetchStatus(link)) } catch {
        return .failed(localized ? error.localizedDescription : String(describing: error))
    }
}

/// Per-host counting semaphores, made on first use.
final class HostSlots: Sendable {
    private let slots = LockedValue<[String: DispatchSemaphore]>([:])
    private let limit: Int
    init(limit: Int) { self.limit = limit }
    func slot(for host: String) -> DispatchSemaphore {
        slots.withLock { slots in
            if let slot = slots[host] { return slot }
            let slot = DispatchSemaphore(value: limit)
            slots[host] = slot
            return slot
        }
    }
}

extension KnownAnswers {
    static let answers14b: [KnownAnswer] = [
        .wrong("14b", "one task per distinct link: the pool's workers all hit one host", caughtOn: .limit,
            Check14b.prepare(.init(checkLinks: { links, pool, _, fetchStatus in
                var seen = Set<String>()
                let distinct = links.filter { seen.insert($0).inserted }
                let futures = try distinct.map { link in try pool.submit { outcome(link, fetchStatus) } }
                var outcomeOf: [String: LinkResult.Outcome] = [:]
                for (link, future) in zip(distinct, futures) { outcomeOf[link] = try future.result() }
                return links.map { LinkResult(link: $0, outcome: outcomeOf[$0]!) }
            }), module: module)),
        .wrong("14b", "fetches a link as often as it is listed", caughtOn: .result,
            Check14b.prepare(.init(checkLinks: { links, pool, perHostLimit, fetchStatus in
                // Lanes as in the solution, but over every entry, duplicates included.
                var lanes: [[String]] = []
                for (_, hostLinks) in Dictionary(grouping: links, by: host(of:)).sorted(by: { $0.key < $1.key }) {
                    let count = min(perHostLimit, hostLinks.count)
                    var hostLanes = Array(repeating: [String](), count: count)
                    for (position, link) in hostLinks.enumerated() { hostLanes[position % count].append(link) }
                    lanes += hostLanes
                }
                let futures = try lanes.map { lane in try pool.submit { lane.map { LinkResult(link: $0, outcome: outcome($0, fetchStatus)) } } }
                var outcomeOf: [String: LinkResult.Outcome] = [:]
                for future in futures { for result in try future.result() { outcomeOf[result.link] = result.outcome } }
                return links.map { LinkResult(link: $0, outcome: outcomeOf[$0]!) }
            }), module: module)),
        .wrong("14b", "describes a failure with localizedDescription", caughtOn: .result,
            Check14b.prepare(.init(checkLinks: { links, pool, _, fetchStatus in
                var seen = Set<String>()
                let distinct = links.filter { seen.insert($0).inserted }
                let byHost = Dictionary(grouping: distinct, by: host(of:))
                let futures = try byHost.values.map { hostLinks in try pool.submit { hostLinks.map { LinkResult(link: $0, outcome: outcome($0, fetchStatus, localized: true)) } } }
                var outcomeOf: [String: LinkResult.Outcome] = [:]
                for future in futures { for result in try future.result() { outcomeOf[result.link] = result.outcome } }
                return links.map { LinkResult(link: $0, outcome: outcomeOf[$0]!) }
            }), module: module)),
        .wrong("14b", "returns the results host by host", caughtOn: .order,
            Check14b.prepare(.init(checkLinks: { links, pool, perHostLimit, fetchStatus in
                let byHost = Dictionary(grouping: links, by: host(of:)).sorted { $0.key < $1.key }
                let futures = try byHost.map { _, hostLinks in
                    try pool.submit { () -> [LinkResult] in
                        var cache: [String: LinkResult.Outcome] = [:]
                        return hostLinks.map { link in
                            if cache[link] == nil { cache[link] = outcome(link, fetchStatus) }
                            return LinkResult(link: link, outcome: cache[link]!)
                        }
                    }
                }
                return try futures.flatMap { try $0.result() }
            }), module: module)),
        .wrong("14b", "one host after the other", caughtOn: .concurrency,
            Check14b.prepare(.init(checkLinks: { links, pool, perHostLimit, fetchStatus in
                var seen = Set<String>()
                let distinct = links.filter { seen.insert($0).inserted }
                var outcomeOf: [String: LinkResult.Outcome] = [:]
                for (_, hostLinks) in Dictionary(grouping: distinct, by: host(of:)).sorted(by: { $0.key < $1.key }) {
                    let count = min(perHostLimit, hostLinks.count)
                    var lanes = Array(repeating: [String](), count: count)
                    for (position, link) in hostLinks.enumerated() { lanes[position % count].append(link) }
                    let futures = try lanes.map { lane in try pool.submit { lane.map { LinkResult(link: $0, outcome: outcome($0, fetchStatus)) } } }
                    for future in futures { for result in try future.result() { outcomeOf[result.link] = result.outcome } }
                }
                return links.map { LinkResult(link: $0, outcome: outcomeOf[$0]!) }
            }), module: module)),
        .right("14b", "one task per distinct link, a semaphore of perHostLimit slots per host",
            Check14b.prepare(.init(checkLinks: { links, pool, perHostLimit, fetchStatus in
                let slots = HostSlots(limit: perHostLimit)
                var seen = Set<String>()
                let distinct = links.filter { seen.insert($0).inserted }
                let futures = try distinct.map { link in
                    try pool.submit { () -> LinkResult.Outcome in
                        let slot = slots.slot(for: host(of: link))
                        slot.wait()
                        defer { slot.signal() }
                        return outcome(link, fetchStatus)
                    }
                }
                let outcomeOf = Dictionary(uniqueKeysWithValues: try zip(distinct, futures).map { ($0, try $1.result()) })
                return links.map { LinkResult(link: $0, outcome: outcomeOf[$0]!) }
            }), module: module)),
    ]
}
