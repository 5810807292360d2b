import Foundation
import PaymentsAPI
import Postgres

/// The SQL of reconciliation's own record (`payments.reconciliation_sweeps`
/// and their findings): what each sweep found and did, for operators. Not
/// tenant data: it runs in a transaction without a tenant.
enum ReconciliationStore {
    static func insert(_ sweep: ReconciliationSweep, on db: PostgresConnection) throws {
        try db.execute(
            """
            INSERT INTO payments.reconciliation_sweeps (id, started_at, finished_at, examined)
            VALUES (\(sweep.id)::uuid, \(sweep.startedAt), \(sweep.finishedAt), \(sweep.examined))
            """)
        for (position, finding) in sweep.findings.enumerated() {
            try db.execute(
                """
                INSERT INTO payments.reconciliation_findings
                    (sweep_id, position, tenant_id, payment_id, order_id, found, action, detail)
                VALUES (\(sweep.id)::uuid, \(position), \(finding.tenant), \(finding.paymentID)::uuid,
                        \(finding.orderID), \(finding.found.rawValue), \(finding.action.rawValue), \(finding.detail))
                """)
        }
    }

    /// The most recent sweeps, newest first, with their findings.
    static func recent(limit: Int, on db: PostgresConnection) throws -> [ReconciliationSweep] {
        let sweeps = try db.query(
            """
            SELECT id::text AS id, started_at, finished_at, examined FROM payments.reconciliation_sweeps
            ORDER BY started_at DESC LIMIT \(limit)
            """)
        guard sweeps.count > 0 else { return [] }
        let ids = try sweeps.map { try $0.uuid("id") }
        var findings: [String: [ReconciliationFinding]] = [:]
        for row in try db.query(
            """
            SELECT sweep_id::text AS sweep_id, tenant_id, payment_id::text AS payment_id, order_id, found, action, detail
            FROM payments.reconciliation_findings WHERE sweep_id = ANY(\(PostgresArray(ids)))
            ORDER BY sweep_id, position
            """)
        {
            guard let found = ReconciliationFinding.Found(rawValue: try row.string("found")),
                let action = ReconciliationFinding.Action(rawValue: try row.string("action"))
            else { continue }
            findings[try row.string("sweep_id"), default: []].append(
                ReconciliationFinding(
                    tenant: try row.string("tenant_id"), paymentID: try row.string("payment_id"),
                    orderID: try row.optionalString("order_id"), found: found, action: action,
                    detail: try row.optionalString("detail")))
        }
        return try sweeps.map { row in
            let id = try row.string("id")
            return ReconciliationSweep(
                id: id, startedAt: try row.date("started_at"), finishedAt: try row.date("finished_at"),
                examined: try row.int("examined"), findings: findings[id] ?? [])
        }
    }
}
