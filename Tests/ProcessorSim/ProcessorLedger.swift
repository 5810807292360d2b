import Foundation
import Synchronization

/// What the simulated processor has done: one decision per charge key, one
/// refund per refund key, each journaled (when there is a journal) before it
/// counts. Every question about a key is answered under one lock, so twins of
/// a key racing in parallel get the same answer and the card is charged once.
final class ProcessorLedger: Sendable {
    struct ChargeAttempt: Sendable {
        var key: String
        var amountCents: Int64
        var currency: String
        var token: String
    }

    enum ChargeAnswer: Sendable {
        /// Decided now, by this request.
        case decided(LedgerCharge)
        /// The key was decided before: its first answer.
        case replay(LedgerCharge)
        /// The key was decided for another amount, currency or token.
        case conflict(LedgerCharge)
    }

    enum RefundAnswer: Sendable, Equatable {
        case refunded(LedgerRefund)
        case replay(LedgerRefund)
        case chargeNotFound
        case notRefundable
        case alreadyRefunded
        case amountTooLarge
        /// The refund key was used for another charge.
        case keyConflict
    }

    private struct State {
        var charges: [String: LedgerCharge] = [:]
        var order: [String] = []
        var chargeKeyByID: [String: String] = [:]
        var refunds: [String: LedgerRefund] = [:]
        var refundOrder: [String] = []
        var counters = LedgerCounters()

        mutating func apply(_ entry: LedgerJournal.Entry) {
            switch entry {
            case .charge(let charge):
                if charges[charge.key] == nil { order.append(charge.key) }
                charges[charge.key] = charge
                if let id = charge.chargeID { chargeKeyByID[id] = charge.key }
            case .refund(let refund):
                if refunds[refund.key] == nil { refundOrder.append(refund.key) }
                refunds[refund.key] = refund
                if let key = chargeKeyByID[refund.chargeID] {
                    charges[key]?.refunded = true
                    charges[key]?.refundKey = refund.key
                    charges[key]?.refundID = refund.refundID
                }
            }
        }
    }

    private let state = Mutex(State())
    private let journal: LedgerJournal?

    /// A ledger starting from what `journal` holds (empty without one).
    init(journal: LedgerJournal?) throws {
        self.journal = journal
        let entries = try journal?.entries() ?? []
        state.withLock { state in
            for entry in entries { state.apply(entry) }
        }
    }

    var chargeCount: Int { state.withLock { $0.order.count } }

    /// The key's first answer, or `decide`'s for a new key (called under the
    /// lock, so it must be quick). Throws when the journal cannot keep it:
    /// then nothing was decided.
    func charge(_ attempt: ChargeAttempt, decide: (ChargeAttempt) -> LedgerCharge) throws -> ChargeAnswer {
        try state.withLock { state in
            state.counters.chargeRequests += 1
            if let known = state.charges[attempt.key] {
                state.counters.chargeReplays += 1
                guard known.amountCents == attempt.amountCents, known.currency == attempt.currency,
                    known.token == attempt.token
                else {
                    state.counters.keyConflicts += 1
                    return .conflict(known)
                }
                return .replay(known)
            }
            let charge = decide(attempt)
            try journal?.append(.charge(charge))
            state.apply(.charge(charge))
            if charge.withheld { state.counters.chargesWithheld += 1 }
            return .decided(charge)
        }
    }

    /// Refunds the charge `chargeID` under `key`, once; a repeated key gets its
    /// first refund back.
    func refund(key: String, chargeID: String, amountCents: Int64, refundID: () -> String) throws -> RefundAnswer {
        try state.withLock { state in
            state.counters.refundRequests += 1
            if let known = state.refunds[key] {
                guard known.chargeID == chargeID, known.amountCents == amountCents else {
                    state.counters.keyConflicts += 1
                    return .keyConflict
                }
                state.counters.refundReplays += 1
                return .replay(known)
            }
            let refused: RefundAnswer?
            if let chargeKey = state.chargeKeyByID[chargeID], let charge = state.charges[chargeKey] {
                if charge.status != .approved {
                    refused = .notRefundable
                } else if charge.refunded {
                    refused = .alreadyRefunded
                } else if amountCents <= 0 || amountCents > charge.amountCents {
                    refused = .amountTooLarge
                } else {
                    refused = nil
                }
            } else {
                refused = .chargeNotFound
            }
            if let refused {
                state.counters.refundsRefused += 1
                return refused
            }
            let refund = LedgerRefund(
                key: key, refundID: refundID(), chargeID: chargeID, amountCents: amountCents,
                createdAtMS: Int64(Date().timeIntervalSince1970 * 1000))
            try journal?.append(.refund(refund))
            state.apply(.refund(refund))
            return .refunded(refund)
        }
    }

    func countInjectedError() {
        state.withLock { $0.counters.errorsInjected += 1 }
    }

    func snapshot() -> LedgerSnapshot {
        state.withLock { state in
            LedgerSnapshot(
                charges: state.order.compactMap { state.charges[$0] },
                refunds: state.refundOrder.compactMap { state.refunds[$0] },
                counters: state.counters)
        }
    }
}
