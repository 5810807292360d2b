import Bootstrap
import Inventory
import Postgres

// inventory-service: the Inventory module's operations over HTTP (default :4003).
ServiceMain.run(module: InventorySchema.module, defaultPort: 4003) { database in
    InventoryService(pool: database.pool(for: "inventory")).operations()
}
