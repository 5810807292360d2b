import Platform

/// One setting of flags.json that a change moved: a tenant's home in a
/// module, or a module-level setting (its default home, its rollout, its
/// service URL), from one value to another.
///
/// Stored as `{"module", "tenant", "setting", "from", "to"}` inside
/// `ops.flag_changes.changes`, with every key present (`null` when absent),
/// so `history(module:tenant:)` finds it by containment.
///
///     FlagChange(module: "payments", tenant: "demo-cafe", from: .string("in-process"), to: .string("service"))
///     FlagChange(module: "payments", setting: .rollout, from: nil, to: .object(["service": .int(10)]))
public struct FlagChange: Codable, Sendable, Equatable {
    /// What in the module changed. A module-level setting can move tenants
    /// without naming them (a default or rollout change); whoever records the
    /// change lists the tenants it moved as `.tenant` entries too when they
    /// should be found by tenant.
    public enum Setting: String, Codable, Sendable, CaseIterable {
        /// `modules.<module>.tenants.<tenant>`: the only setting with a tenant.
        case tenant
        /// `modules.<module>.default`.
        case `default`
        /// `modules.<module>.rollout`.
        case rollout
        /// `services.<module>`: where the module's service listens.
        case service
        /// `modules.<module>.fallback`.
        case fallback
        /// `modules.<module>.breaker`.
        case breaker
    }

    public var module: String
    /// Set exactly when `setting` is `.tenant`.
    public var tenant: String?
    public var setting: Setting
    /// The value before; nil when the setting was absent (a tenant entry added).
    public var from: JSONValue?
    /// The value after; nil when the setting was removed.
    public var to: JSONValue?

    /// A module-level change.
    public init(module: String, setting: Setting, from: JSONValue?, to: JSONValue?) {
        self.module = module
        self.tenant = nil
        self.setting = setting
        self.from = from
        self.to = to
    }

    /// A change of one tenant's home in `module`.
    public init(module: String, tenant: String, from: JSONValue?, to: JSONValue?) {
        self.module = module
        self.tenant = tenant
        self.setting = .tenant
        self.from = from
        self.to = to
    }

    private enum CodingKeys: String, CodingKey {
        case module, tenant, setting, from, to
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        module = try container.decode(String.self, forKey: .module)
        tenant = try container.decodeIfPresent(String.self, forKey: .tenant)
        setting = try container.decode(Setting.self, forKey: .setting)
        from = try container.decodeIfPresent(JSONValue.self, forKey: .from)
        to = try container.decodeIfPresent(JSONValue.self, forKey: .to)
    }

    /// Absent values as explicit `null`s: every stored entry has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(module, forKey: .module)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(setting, forKey: .setting)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
    }

    /// Throws unless the entry is well formed: a module name, and a tenant exactly for `.tenant`.
    func validate(at index: Int) throws(FlagsAuditError) {
        let field = "changes[\(index)]"
        guard !module.isBlank else { throw FlagsAuditError(field: field + ".module", message: "is empty") }
        switch (setting, tenant) {
        case (.tenant, nil):
            throw FlagsAuditError(field: field + ".tenant", message: "is required for a tenant setting")
        case (.tenant, let tenant?) where tenant.isBlank:
            throw FlagsAuditError(field: field + ".tenant", message: "is empty")
        case (_, _?) where setting != .tenant:
            throw FlagsAuditError(
                field: field + ".tenant", message: "must be null for the module-level setting \(setting.rawValue)")
        default:
            break
        }
    }
}
