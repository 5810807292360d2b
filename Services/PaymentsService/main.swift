print("payments-service: not yet")
