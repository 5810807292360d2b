import HTTPServer
import PaymentsAPI
import Platform

/// `/admin/reconciliation` and `/admin/recovery`: what the money sweeps
/// found and did, and the buttons that run a pass now (the periodic passes
/// run anyway; a pass now is for operators and the fault harness).
enum ReconciliationRoutes {
    static let limitRange = 1...100

    static func routes(reconciliation: Reconciliation, recovery: CheckoutRecovery) -> [Route] {
        [
            Route("GET", "/admin/reconciliation", access: .operator) { context in
                var limit = 20
                if let text = context.request.queryParameters["limit"] {
                    guard let value = Int(text), limitRange.contains(value) else {
                        throw Problem.unprocessable(
                            "validation_failed",
                            "limit: must be an integer from \(limitRange.lowerBound) to \(limitRange.upperBound)")
                    }
                    limit = value
                }
                return try JSONCoding.response(Sweeps(sweeps: try reconciliation.sweeper.recent(limit: limit)))
            },
            Route("POST", "/admin/reconciliation/run", access: .operator) { _ in
                try JSONCoding.response(try reconciliation.sweeper.sweep())
            },
            Route("POST", "/admin/recovery/run", access: .operator) { _ in
                try JSONCoding.response(RecoveryPass(settled: recovery.runOnce()))
            },
        ]
    }

    struct Sweeps: Encodable {
        var sweeps: [ReconciliationSweep]
    }

    struct RecoveryPass: Encodable {
        var settled: Int
    }
}
