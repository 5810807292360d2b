/// `GET /_sim/knobs` (and the answer to `POST /_sim/knobs`): the faults the
/// simulator injects now.
struct SimulatorKnobs: Decodable, Equatable {
    var latencyMS: Int
    var declineRate: Double
    var dropAfterChargeRate: Double
    var dropHoldMS: Int
    var errorRate: Double
    var seed: UInt64

    enum CodingKeys: String, CodingKey {
        case seed
        case latencyMS = "latency_ms"
        case declineRate = "decline_rate"
        case dropAfterChargeRate = "drop_after_charge_rate"
        case dropHoldMS = "drop_hold_ms"
        case errorRate = "error_rate"
    }
}
