/// `BANYAN_CLUSTER=1`: this process is one of several identical instances
/// over one PostgreSQL, behind a load balancer or an orchestrator.
///
/// What a lone process makes for itself on first start would then differ
/// from instance to instance: a secret generated into its state directory
/// signs tokens the next instance refuses, an embedded database keeps data
/// the others never see. So in a cluster those come from configuration,
/// the same for every instance, and a process missing any of them refuses
/// to start and names them all, instead of generating its own.
public enum ClusterMode {
    public static let variable = "BANYAN_CLUSTER"

    /// On for any value but unset, empty or `0`: a typo (`BANYAN_CLUSTER=yes`)
    /// must not let an instance generate secrets of its own. `requireShared`
    /// refuses such a value at start.
    public static var isEnabled: Bool { isOn(Configuration.value(variable)) }

    private static func isOn(_ setting: String?) -> Bool {
        guard let setting else { return false }
        return !setting.isEmpty && setting != "0"
    }

    /// Throws, naming every one of `names` that is unset or empty, when
    /// running in a cluster; refuses a `BANYAN_CLUSTER` other than 0 or 1.
    /// Call it first thing at start, before anything is created.
    public static func requireShared(_ names: [String]) throws(MissingSharedSettings) {
        try requireShared(names, setting: Configuration.value(variable), lookup: Configuration.value)
    }

    /// `requireShared` over a given `BANYAN_CLUSTER` value and lookup, for tests.
    public static func requireShared(
        _ names: [String], setting: String?, lookup: (String) -> String?
    ) throws(MissingSharedSettings) {
        guard let setting, isOn(setting) else { return }
        guard setting == "1" else { throw MissingSharedSettings(names: [], invalidSetting: setting) }
        let missing = names.filter { lookup($0)?.isEmpty ?? true }
        guard missing.isEmpty else { throw MissingSharedSettings(names: missing) }
    }
}

/// In a cluster, settings every instance must share were not given.
public struct MissingSharedSettings: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variables to set, in the order they were asked for.
    public let names: [String]
    /// A `BANYAN_CLUSTER` value that is neither 0 nor 1.
    public let invalidSetting: String?

    public init(names: [String], invalidSetting: String? = nil) {
        self.names = names
        self.invalidSetting = invalidSetting
    }

    public var description: String {
        if let invalidSetting {
            return "\(ClusterMode.variable) must be 1 (one of several instances) or 0, not \"\(invalidSetting)\""
        }
        return "\(ClusterMode.variable)=1 but \(names.joined(separator: ", ")) "
            + (names.count == 1 ? "is" : "are") + " not set: every instance must be given the same "
            + (names.count == 1 ? "value" : "values") + " (a Kubernetes Secret, a systemd EnvironmentFile); "
            + "one made here would be this instance's alone"
    }
}
