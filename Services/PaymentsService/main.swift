import Bootstrap
import PaymentsModule

// payments-service: the Payments module's operations over HTTP.
ServiceMain.run(PaymentsModule.descriptor)
