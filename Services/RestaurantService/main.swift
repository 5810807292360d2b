import Bootstrap
import RestaurantModule

// restaurant-service: the Restaurant module's operations over HTTP.
ServiceMain.run(RestaurantModule.descriptor)
