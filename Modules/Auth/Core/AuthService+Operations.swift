import AuthAPI
import Facade
import Platform

extension AuthService {
    /// This service's handlers bound to the Auth operations: what
    /// `LocalTransport` calls in-process and auth-service serves over HTTP.
    package func operations() -> OperationTable {
        OperationTable(module: "auth", decodeError: AuthOperations.decodeError)
            .bind(AuthOperations.createTenant) { [self] in try createTenant($0, $1) }
            .bind(AuthOperations.login) { [self] in try login($0, $1) }
            .bind(AuthOperations.register) { [self] in try register($0, $1) }
            .bind(AuthOperations.user) { [self] in try user($0, id: $1.id) }
            .bind(AuthOperations.listUsers) { [self] context, _ in try listUsers(context) }
            .bind(AuthOperations.updateUser) { [self] in try updateUser($0, id: $1.id, $1.update) }
    }
}
