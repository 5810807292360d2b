import Bootstrap
import Payments
import Postgres

// payments-service: the Payments module's operations over HTTP (default :4004).
ServiceMain.run(module: PaymentsSchema.module, defaultPort: 4004) { database in
    PaymentsService(pool: database.pool(for: "payments"), processor: CardProcessors.fromEnvironment()).operations()
}
