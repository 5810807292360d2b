import Facade
import Foundation
import Platform

/// Sends the reads of tenants whose home is `shadow` to the module's
/// service too, off the request path, and compares the service's JSON
/// answer with the in-process one (`ShadowComparison`), counting what it
/// finds in `stats`.
///
/// Only the monolith mirrors (`RoutedTransport` with a local table): a
/// service process treats `shadow` as `in-process`. What it promises the
/// client: nothing changes. The request thread decides by `rate` whether to
/// sample the call and offers a job to a bounded queue — no encoding, no
/// I/O, never a wait; a full queue drops the job (`dropped`). Everything
/// else — encoding both sides, the HTTP call, the comparison — runs on the
/// queue's own threads, and any failure there is counted (`errors`), never
/// thrown. Writes are never mirrored: the caller passes only read-only
/// operations, and `mirror` refuses the others again.
///
///     let mirror = ShadowMirror(rate: 0.25)
///     let router = ModuleRouter(flags: flags, calls: calls, placement: .monolith, shadow: mirror)
package final class ShadowMirror: Sendable {
    /// `BANYAN_SHADOW_RATE` when unset: mirror every read.
    package static let defaultRate = 1.0

    /// The share of shadowed reads sent to the service, 0.0–1.0.
    package let rate: Double
    package let stats: ShadowStats
    private let queue: ShadowQueue

    /// - Parameters:
    ///   - rate: the share of reads mirrored; clamped to 0.0–1.0.
    ///   - capacity: shadow calls that may wait; beyond it they are dropped.
    ///   - workers: threads making the shadow calls.
    package init(
        rate: Double = ShadowMirror.defaultRate, capacity: Int = 256, workers: Int = 2, stats: ShadowStats = ShadowStats()
    ) {
        self.rate = rate.isNaN ? 0 : min(max(rate, 0), 1)
        self.stats = stats
        self.queue = ShadowQueue(capacity: capacity, workers: workers)
    }

    /// `BANYAN_SHADOW_RATE`'s value read as a rate: nil (unset) is the
    /// default; anything but a number from 0 to 1 throws, so a typo stops the
    /// gateway at start instead of mirroring everything or nothing.
    package static func rate(setting text: String?) throws -> Double {
        guard let text else { return defaultRate }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let rate = Double(trimmed), rate.isFinite, (0...1).contains(rate) else {
            throw InvalidRate(text: text)
        }
        return rate
    }

    package struct InvalidRate: Error, CustomStringConvertible {
        let text: String
        package var description: String {
            "BANYAN_SHADOW_RATE must be a number from 0.0 to 1.0 (the share of shadowed reads sent to the service), not \"\(text)\""
        }
    }

    /// Mirrors one read that was just answered in-process with `response`,
    /// when sampled: `send` makes the shadow call (given the context to use)
    /// and returns the service's answer as JSON. Returns at once: true when
    /// the read was sampled and queued, false when it was not sampled, not
    /// a read, or dropped (queue full).
    @discardableResult
    package func mirror<Request, Response>(
        _ operation: Facade.Operation<Request, Response>, module: String, context: CallContext, request: Request,
        response: Response, volatile: Set<String>,
        send: @escaping @Sendable (Facade.Operation<Request, JSONValue>, CallContext, Request) throws -> JSONValue
    ) -> Bool {
        guard operation.isReadOnly, rate > 0, rate >= 1 || Double.random(in: 0..<1) < rate else { return false }
        let key = ShadowStats.Key(module: module, operation: operation.name, tenant: context.tenant.value)
        let offered = queue.offer { [stats] in
            // The same tenant, user, request id and traceparent, so the
            // service's log lines join the request's; its own deadline (the
            // service timeout), since the request has been answered and its
            // deadline means nothing to this call.
            var shadow = context
            shadow.deadline = nil
            // A read consumes no idempotency key; dropping it anyway makes
            // sure the mirrored call can never take the caller's key.
            shadow.idempotencyKey = nil
            let answer: JSONValue
            do {
                answer = try send(Facade.Operation<Request, JSONValue>(operation.name, readOnly: true), shadow, request)
            } catch {
                // Counted, not logged: a service down would log a line per read.
                stats.recordError(key)
                return
            }
            let local: JSONValue
            do {
                local = try WireJSON.decode(JSONValue.self, from: try WireJSON.encode(response))
            } catch {
                stats.recordError(key)
                return
            }
            let (found, total) = ShadowComparison.differences(inProcess: local, service: answer, volatile: volatile)
            if total == 0 {
                stats.recordMatch(key)
            } else {
                stats.recordDiff(key, requestID: context.requestID, differences: found, total: total)
            }
        }
        if !offered { stats.recordDropped(key) }
        return offered
    }

    /// Shadow calls waiting now.
    package var pending: Int { queue.pending }

    /// Stops the workers after their current call; calls still waiting are not made.
    package func stop() {
        queue.stop()
    }
}
