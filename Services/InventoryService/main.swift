import Bootstrap
import InventoryModule

// inventory-service: the Inventory module's operations over HTTP.
ServiceMain.run(InventoryModule.descriptor)
