import Foundation
import Platform
import Synchronization

/// What shadowing found, per module × operation × tenant, and the last
/// `recentLimit` answers that differed: what `GET /admin/shadow` reports
/// and what a metrics collector reads (`snapshot()`, plain values).
///
/// - `comparisons`: answers compared (`matches` + `diffs`);
/// - `errors`: shadow calls that brought back no answer to compare (the
///   service down, a 4xx/5xx, a timeout): an outage, never a diff;
/// - `dropped`: reads not sent because the shadow queue was full.
///
/// Thread-safe; every record takes one short lock.
package final class ShadowStats: Sendable {
    package struct Key: Hashable, Sendable, Comparable {
        package let module: String
        package let operation: String
        package let tenant: String

        package init(module: String, operation: String, tenant: String) {
            self.module = module
            self.operation = operation
            self.tenant = tenant
        }

        package static func < (a: Key, b: Key) -> Bool {
            (a.module, a.operation, a.tenant) < (b.module, b.operation, b.tenant)
        }
    }

    package struct Counts: Sendable, Equatable {
        package var comparisons = 0
        package var matches = 0
        package var diffs = 0
        package var errors = 0
        package var dropped = 0

        package init() {}

        package static func + (a: Counts, b: Counts) -> Counts {
            var sum = a
            sum.comparisons += b.comparisons
            sum.matches += b.matches
            sum.diffs += b.diffs
            sum.errors += b.errors
            sum.dropped += b.dropped
            return sum
        }
    }

    /// One answer that differed from the in-process one.
    package struct Diff: Sendable, Equatable {
        package let at: Date
        package let key: Key
        package let requestID: String
        /// The first differences found (`ShadowComparison`'s limit).
        package let differences: [ShadowComparison.Difference]
        /// How many there were in all, `differences` included.
        package let total: Int
    }

    /// Everything at one moment.
    package struct Snapshot: Sendable {
        package let counts: [Key: Counts]
        /// Oldest first.
        package let recent: [Diff]

        package var totals: Counts { counts.values.reduce(Counts(), +) }
    }

    package static let recentLimit = 100

    private struct State {
        var counts: [Key: Counts] = [:]
        /// A ring: `next` is where the next diff goes once it is full.
        var recent: [Diff] = []
        var next = 0
    }

    private let state = Mutex(State())

    package init() {}

    package func recordMatch(_ key: Key) {
        state.withLock {
            $0.counts[key, default: Counts()].comparisons += 1
            $0.counts[key, default: Counts()].matches += 1
        }
    }

    package func recordDiff(_ key: Key, requestID: String, differences: [ShadowComparison.Difference], total: Int) {
        let diff = Diff(at: Date(), key: key, requestID: requestID, differences: differences, total: total)
        state.withLock { state in
            state.counts[key, default: Counts()].comparisons += 1
            state.counts[key, default: Counts()].diffs += 1
            if state.recent.count < Self.recentLimit {
                state.recent.append(diff)
            } else {
                state.recent[state.next] = diff
            }
            state.next = (state.next + 1) % Self.recentLimit
        }
    }

    package func recordError(_ key: Key) {
        state.withLock { $0.counts[key, default: Counts()].errors += 1 }
    }

    package func recordDropped(_ key: Key) {
        state.withLock { $0.counts[key, default: Counts()].dropped += 1 }
    }

    package func snapshot() -> Snapshot {
        state.withLock { state in
            let recent =
                state.recent.count < Self.recentLimit
                ? state.recent : Array(state.recent[state.next...] + state.recent[..<state.next])
            return Snapshot(counts: state.counts, recent: recent)
        }
    }
}
