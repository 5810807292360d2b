print("inventory-service: not yet")
