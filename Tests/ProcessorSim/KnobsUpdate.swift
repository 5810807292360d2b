/// A partial update of `SimulatorKnobs`: only the fields present change.
struct KnobsUpdate: Decodable {
    var latencyMS: Int?
    var declineRate: Double?
    var dropAfterChargeRate: Double?
    var dropHoldMS: Int?
    var errorRate: Double?
    var seed: UInt64?

    enum CodingKeys: String, CodingKey {
        case seed
        case latencyMS = "latency_ms"
        case declineRate = "decline_rate"
        case dropAfterChargeRate = "drop_after_charge_rate"
        case dropHoldMS = "drop_hold_ms"
        case errorRate = "error_rate"
    }

    func applied(to knobs: SimulatorKnobs) -> SimulatorKnobs {
        var result = knobs
        if let latencyMS { result.latencyMS = latencyMS }
        if let declineRate { result.declineRate = declineRate }
        if let dropAfterChargeRate { result.dropAfterChargeRate = dropAfterChargeRate }
        if let dropHoldMS { result.dropHoldMS = dropHoldMS }
        if let errorRate { result.errorRate = errorRate }
        if let seed { result.seed = seed }
        return result
    }
}
