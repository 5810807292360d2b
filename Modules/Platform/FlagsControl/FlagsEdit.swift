import Flags

/// One change an operator asks of flags.json: what `banyan flags set`,
/// `rollout` and `default` (and the admin API) apply to the current file.
///
/// Each says exactly what to write, and is written even when it changes no
/// tenant's home: `setTenant` to the home the default or cohort would give
/// anyway still adds (or keeps) the explicit entry, because an explicit
/// entry pins the tenant when the default or rollout moves later — the
/// operator asked for a pin, not for the current effect. `removeTenant`
/// takes a pin off. A rollout at 0% stays written (`{"service": 0}`: the
/// cohort is declared, empty, and still needs the service URL);
/// `removeRollout` takes it off.
public enum FlagsEdit: Sendable, Equatable, Codable {
    case setTenant(module: String, tenant: String, home: ModuleRoute)
    case removeTenant(module: String, tenant: String)
    case setRollout(module: String, home: ModuleRoute, percent: Int)
    case removeRollout(module: String)
    case setDefault(module: String, home: ModuleRoute)
    /// A service's base URL; nil removes it.
    case setService(module: String, url: String?)
    /// Where a call that never reached the service runs instead: `.inProcess`, or nil for none.
    case setFallback(module: String, fallback: ModuleRoute?)

    public var module: String {
        switch self {
        case .setTenant(let module, _, _), .removeTenant(let module, _), .setRollout(let module, _, _),
            .removeRollout(let module), .setDefault(let module, _), .setService(let module, _),
            .setFallback(let module, _):
            module
        }
    }
}

extension FlagsDocument {
    /// The document with `edit` applied, validated by writing it out and
    /// parsing it back with `FlagsParser`: a result the gateway would refuse
    /// is refused here with the parser's own error (a service home with no
    /// URL in `services`, a rollout at the default's home, a tenant id or
    /// module name that is not one, a module `knownModules` lacks).
    ///
    /// A module the file does not list is added (after the others) as
    /// `"default": "in-process"`, which is how an unlisted module routes, so
    /// adding it moves nobody by itself. Removing what is not there is no
    /// change. A percentage outside 0–100 is refused here, naming the field
    /// as the parser would.
    public func applying(_ edit: FlagsEdit, knownModules: Set<String>? = nil) throws(FlagsError) -> FlagsDocument {
        var candidate = self
        switch edit {
        case .setService(let module, let url):
            let index = candidate.services.firstIndex { $0.module == module }
            switch (index, url) {
            case (let index?, let url?): candidate.services[index].url = url
            case (let index?, nil): candidate.services.remove(at: index)
            case (nil, let url?): candidate.services.append((module, url))
            case (nil, nil): break
            }
        case .setTenant(let module, let tenant, let home):
            candidate.editModule(module) { entry in
                if let index = entry.tenants.firstIndex(where: { $0.tenant == tenant }) {
                    entry.tenants[index].route = home
                } else {
                    entry.tenants.append((tenant, home))
                }
            }
        case .removeTenant(let module, let tenant):
            candidate.editModule(module, creating: false) { $0.tenants.removeAll { $0.tenant == tenant } }
        case .setRollout(let module, let home, let percent):
            guard FlagsParser.rolloutPercentages.contains(percent) else {
                throw FlagsError(
                    field: "modules.\(module).rollout.\(home.rawValue)",
                    message:
                        "must be an integer from \(FlagsParser.rolloutPercentages.lowerBound) to \(FlagsParser.rolloutPercentages.upperBound)"
                )
            }
            candidate.editModule(module) { $0.rollout = ModuleRouting.Rollout(route: home, percent: percent) }
        case .removeRollout(let module):
            candidate.editModule(module, creating: false) { $0.rollout = nil }
        case .setDefault(let module, let home):
            candidate.editModule(module) { $0.defaultRoute = home }
        case .setFallback(let module, let fallback):
            candidate.editModule(module, creating: fallback != nil) { $0.policy.fallback = fallback }
        }
        return try FlagsDocument(parsing: candidate.bytes, knownModules: knownModules)
    }

    private mutating func editModule(_ name: String, creating: Bool = true, _ change: (inout Module) -> Void) {
        if let index = modules.firstIndex(where: { $0.name == name }) {
            change(&modules[index])
        } else if creating {
            var entry = Module(name: name, defaultRoute: .inProcess)
            change(&entry)
            modules.append(entry)
        }
    }
}
