/// The secret that signs the tokens Banyan processes call each other's
/// operations with (`ServiceTokenIssuer`) and checks them
/// (`ServiceTokenVerifier`): the gateway, every service and `banyan
/// contract` must hold the same one.
///
/// Its names live here once, so the processes that create it and the
/// checker that must only ever find it (a new secret would be refused by
/// every service) agree on where it is.
public enum ServiceSecret {
    /// The variable that sets it; it wins over the file.
    public static let environment = "BANYAN_SERVICE_SECRET"
    /// The file in a state directory that holds it otherwise.
    public static let fileName = "service-secret"

    /// The gateway's and every service's: the variable, else the state
    /// directory's file, created on first use (see `SecretStore`).
    public static func loadOrCreate() throws -> [UInt8] {
        try SecretStore.loadOrCreate(environment: environment, file: fileName)
    }
}
