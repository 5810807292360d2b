import Facade
import Platform
import Postgres
import Signals

/// Two tiny modules for measuring calls through `LocalTransport`: `outer.run`
/// burns some CPU, waits on PostgreSQL, and calls `inner.run`, which does the
/// same with its own amounts (and throws when asked to).
struct Work: ContractSample {
    var cpuMilliseconds: Int
    var sleepSeconds: Double
    var fails = false
    var inner: Double?
    var innerCPUMilliseconds = 0
    static var contractSample: Work { Work(cpuMilliseconds: 0, sleepSeconds: 0) }
}

enum MeasuredModules {
    static let outer = Operation<Work, Empty>("outer.run")
    static let inner = Operation<Work, Empty>("inner.run")

    /// Spins until this thread has used `milliseconds` of CPU: the same CPU
    /// time however loaded the machine is.
    static func burn(milliseconds: Int) {
        let until = SignalClock.threadCPU() + UInt64(milliseconds) * 1_000_000
        var spin: UInt64 = 0
        while SignalClock.threadCPU() < until { spin &+= 1 }
        withExtendedLifetime(spin) {}
    }

    /// The tables, measured in `signals`, over `connection` (used by one caller at a time).
    static func transports(signals: ModuleSignals, connection: PostgresConnection) -> (outer: LocalTransport, inner: LocalTransport) {
        let shared = Shared(connection)
        let innerTable = OperationTable(module: "inner", decodeError: { _ in nil }).bind(inner) { _, work in
            burn(milliseconds: work.cpuMilliseconds)
            try shared.connection.query("SELECT pg_sleep(\(work.sleepSeconds))")
            if work.fails { throw Problem.badRequest("declined", "Asked to fail.") }
            return Empty()
        }
        innerTable.meter.attach(signals.meter(for: "inner")!)
        let innerTransport = LocalTransport(innerTable)
        let outerTable = OperationTable(module: "outer", decodeError: { _ in nil }).bind(outer) { context, work in
            burn(milliseconds: work.cpuMilliseconds)
            try shared.connection.query("SELECT pg_sleep(\(work.sleepSeconds))")
            if let seconds = work.inner {
                _ = try? innerTransport.call(
                    inner, context,
                    Work(cpuMilliseconds: work.innerCPUMilliseconds, sleepSeconds: seconds, fails: work.fails))
            }
            return Empty()
        }
        outerTable.meter.attach(signals.meter(for: "outer")!)
        return (LocalTransport(outerTable), innerTransport)
    }

    /// The connection, handed to handlers that run on the caller's thread one at a time.
    final class Shared: @unchecked Sendable {
        let connection: PostgresConnection
        init(_ connection: PostgresConnection) { self.connection = connection }
    }
}
