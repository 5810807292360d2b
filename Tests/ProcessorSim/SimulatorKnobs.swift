/// The faults the simulator injects, changeable while it runs
/// (`POST /_sim/knobs` merges the fields it names; `GET /_sim/knobs` reads them).
///
/// Rates are probabilities in 0...1, drawn from one seeded generator, so a
/// run with the same seed and the same order of requests makes the same choices.
struct SimulatorKnobs: Codable, Sendable, Equatable {
    /// Milliseconds every charge and refund waits before it is answered. The
    /// outcome is decided (and recorded) first: a caller that gives up while
    /// waiting has still been charged, as with a real slow processor.
    var latencyMS: Int = 0
    /// Share of new charges on approvable cards declined as `card_declined`.
    var declineRate: Double = 0
    /// Share of new approved charges whose answer is withheld: the charge is
    /// in the ledger, the caller hears nothing for `dropHoldMS`, then 504 and
    /// a closed connection. The caller cannot know it paid.
    var dropAfterChargeRate: Double = 0
    /// How long a withheld answer is held.
    var dropHoldMS: Int = 30_000
    /// Share of requests answered 503 without touching the ledger: a definite
    /// "nothing happened" only a repeat of the same key can turn into an answer.
    var errorRate: Double = 0
    /// Seeds the generator behind every rate; setting it restarts the sequence.
    var seed: UInt64 = 1

    enum CodingKeys: String, CodingKey {
        case seed
        case latencyMS = "latency_ms"
        case declineRate = "decline_rate"
        case dropAfterChargeRate = "drop_after_charge_rate"
        case dropHoldMS = "drop_hold_ms"
        case errorRate = "error_rate"
    }

    /// What is wrong with these knobs, or nil when they are usable.
    var problem: String? {
        if latencyMS < 0 || latencyMS > 600_000 { return "latency_ms: 0 to 600000" }
        if dropHoldMS < 0 || dropHoldMS > 600_000 { return "drop_hold_ms: 0 to 600000" }
        for (name, rate) in [
            ("decline_rate", declineRate), ("drop_after_charge_rate", dropAfterChargeRate), ("error_rate", errorRate),
        ] where !(rate >= 0 && rate <= 1) {
            return "\(name): a number from 0 to 1"
        }
        return nil
    }
}
