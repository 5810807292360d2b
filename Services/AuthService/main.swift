import AuthModule
import Bootstrap

// auth-service: the Auth module's operations over HTTP.
ServiceMain.run(AuthModule.descriptor)
