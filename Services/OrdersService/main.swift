import Bootstrap
import OrdersModule

// orders-service: the Orders module's operations over HTTP. Its checkout
// calls Restaurant, Inventory and Payments wherever flags.json homes them
// for the tenant: their services, or the gateway's internal listener.
ServiceMain.run(OrdersModule.descriptor)
