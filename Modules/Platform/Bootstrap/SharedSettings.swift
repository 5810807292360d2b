import Security

/// What every instance of a cluster must be given alike, by the kind of
/// process: with `BANYAN_CLUSTER=1` each refuses to start while any is
/// missing (`ClusterMode.requireShared`), before it creates anything.
public enum SharedSettings {
    /// The gateway's: the one database, the secret every module role's
    /// password derives from, the ops token, the service secret, and what
    /// each module it hosts declares (Auth's JWT secret).
    public static func gateway(hosting modules: [ModuleDescriptor]) -> [String] {
        ["DATABASE_URL", "BANYAN_DB_SECRET", "BANYAN_OPS_TOKEN", ServiceSecret.environment]
            + modules.flatMap(\.sharedSettings)
    }

    /// A module's service: the database (unless the module owns no data),
    /// the service secret and what the module declares. Its role's password
    /// (`BANYAN_DB_PASSWORD`, or `BANYAN_DB_SECRET` to derive it) is checked
    /// where the database is opened, since either will do.
    public static func service(of module: ModuleDescriptor) -> [String] {
        (module.schema == nil ? [] : ["DATABASE_URL"]) + [ServiceSecret.environment] + module.sharedSettings
    }
}
