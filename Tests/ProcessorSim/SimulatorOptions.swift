/// The command line of `processor-sim`.
struct SimulatorOptions {
    static let usage = """
        usage: processor-sim [--host H] [--port N] [--workers N] [--ledger-file PATH]
                             [--latency-ms N] [--decline-rate R] [--drop-after-charge-rate R]
                             [--drop-hold-ms N] [--error-rate R] [--seed N]
          A card processor for PAYMENT_GATEWAY_URL with injectable faults. --port 0 picks a
          free port (logged as {"msg":"processor-sim listening","port":N}). Knobs change at
          run time through POST /_sim/knobs; GET /_sim/ledger prints every charge.
        """

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    var host = "127.0.0.1"
    var port = 4010
    /// Each held or delayed answer occupies a worker for its whole wait, so
    /// the pool is far larger than a server that only computes would need.
    var workers = 256
    var ledgerFile: String?
    var knobs = SimulatorKnobs()

    init(arguments: [String]) throws {
        var remaining = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = remaining.popFirst() else { throw Invalid(description: "\(flag) needs a value") }
            return next
        }
        func number<T: LosslessStringConvertible>(_ flag: String, _ type: T.Type) throws -> T {
            let text = try value(flag)
            guard let parsed = T(text) else { throw Invalid(description: "\(flag): not a number: \(text)") }
            return parsed
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--host": host = try value(flag)
            case "--port": port = try number(flag, Int.self)
            case "--workers": workers = try number(flag, Int.self)
            case "--ledger-file": ledgerFile = try value(flag)
            case "--latency-ms": knobs.latencyMS = try number(flag, Int.self)
            case "--decline-rate": knobs.declineRate = try number(flag, Double.self)
            case "--drop-after-charge-rate": knobs.dropAfterChargeRate = try number(flag, Double.self)
            case "--drop-hold-ms": knobs.dropHoldMS = try number(flag, Int.self)
            case "--error-rate": knobs.errorRate = try number(flag, Double.self)
            case "--seed": knobs.seed = try number(flag, UInt64.self)
            default: throw Invalid(description: "unknown option \(flag)")
            }
        }
        if let problem = knobs.problem { throw Invalid(description: problem) }
        guard (0...65535).contains(port) else { throw Invalid(description: "--port: 0 to 65535") }
        guard (1...4096).contains(workers) else { throw Invalid(description: "--workers: 1 to 4096") }
    }
}
