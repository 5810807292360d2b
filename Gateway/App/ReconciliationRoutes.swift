import HTTPServer
import PaymentsAPI
import Platform

/// `/admin/reconciliation` and `/admin/recovery`: what the money sweeps
/// found and did, and the buttons that run a pass now (the periodic passes
/// run anyway; a pass now is for operators and the fault harness).
enum ReconciliationRoutes {
    static let limit = QueryParameter.int("limit", in: 1...100, default: 20)

    static func routes(reconciliation: Reconciliation, recovery: CheckoutRecovery) -> [Route] {
        let sweeps = RouteGroup("/admin/reconciliation", access: .operator)
        let recoveries = RouteGroup("/admin/recovery", access: .operator)
        return [
            sweeps.get(summary: "The last payment sweeps: what each found and did", query: [limit]) { context in
                Sweeps(sweeps: try reconciliation.sweeper.recent(limit: try context.query(limit)))
            },
            sweeps.post("/run", summary: "Run a reconciliation sweep now") { _ in
                try reconciliation.sweep()
            },
            recoveries.post("/run", summary: "Run a recovery pass over pending checkouts now") { _ in
                RecoveryPass(settled: recovery.runOnce())
            },
        ]
    }

    struct Sweeps: Codable {
        var sweeps: [ReconciliationSweep]
    }

    struct RecoveryPass: Codable {
        /// Pending checkouts the pass settled.
        var settled: Int
    }
}
