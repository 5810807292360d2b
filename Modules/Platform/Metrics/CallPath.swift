/// The way a module call was served, as `banyan_module_call*` label it.
public enum CallPath: Int, CaseIterable, Sendable {
    /// This process's table, or the monolith's internal listener.
    case inProcess
    /// The module's service, at the URL in flags.json.
    case service
    /// Served in-process; a read also mirrored to the service for comparison.
    case shadow
    /// Meant for the service, which it never reached; served in-process instead.
    case fallback

    /// The `path` label value.
    public var label: String {
        switch self {
        case .inProcess: "in-process"
        case .service: "service"
        case .shadow: "shadow"
        case .fallback: "fallback"
        }
    }
}
