import Bootstrap
import Contract
import Facade
import Payments
import PaymentsAPI
import PaymentsContract
import Platform

/// Payments as the rest of Banyan composes it: its descriptor (what every
/// process and tool reads), the card processor it needs from its host, and
/// its facade as the gateway and the tests get it.
package enum PaymentsModule {
    /// The processor Payments charges cards through: the built-in simulator
    /// unless the host gives another. `main` reads `PAYMENT_GATEWAY_URL` into
    /// it; tests inject scripted processors.
    package static let cardProcessor = HostKey<any CardProcessor>(default: SimulatedCardProcessor())

    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "payments", schema: PaymentsSchema.module, publishesEvents: true,
        service: ServiceDescriptor(
            executable: "payments-service", defaultPort: 4004, interface: PaymentsOperations.interface,
            contract: ContractSuite(cases: PaymentsContract.cases, client: client)
        ) { host in service(in: host).operations() },
        configure: { host in host[cardProcessor] = CardProcessors.fromEnvironment() })

    /// Payments for code in `host`: calls go where the host routes them.
    package static func facade(in host: ModuleHost) -> any PaymentsFacade {
        client(host.transport(to: descriptor))
    }

    /// `PaymentsFacade` over any transport to Payments' operations.
    @Sendable package static func client(_ transport: any Transport) -> any PaymentsFacade {
        PaymentsClient(transport: transport)
    }

    /// The sweep that refunds captured checkout payments no completed order
    /// holds, over `host`'s payments schema. It runs in the host process, not
    /// behind the facade: it asks the processor again itself.
    package static func reconciliation(
        in host: ModuleHost, holders: any ChargeHolders, grace: Double, log: Log
    ) -> PaymentsReconciliation {
        PaymentsReconciliation(
            pool: host.database.pool(for: descriptor.name), payments: service(in: host), holders: holders, grace: grace,
            log: log)
    }

    private static func service(in host: ModuleHost) -> PaymentsService {
        PaymentsService(pool: host.database.pool(for: descriptor.name), processor: host.environment[cardProcessor])
    }
}
