/// Where one module's calls run for a tenant: in this process, in the
/// module's extracted service executable (its URL is in `services`), or in
/// this process while the service is watched (`shadow`): read-only calls are
/// also sent to the service, off the request path, and the two answers
/// compared; the tenant depends only on the in-process answer.
public enum ModuleRoute: String, Sendable, Codable, CaseIterable {
    case inProcess = "in-process"
    case service
    case shadow

    /// Whether this home sends calls to the module's service (and so needs its URL).
    public var reachesService: Bool { self != .inProcess }

    /// The home that serves the tenant's answers: the service for
    /// `service`, this process for `in-process` and `shadow`.
    public var serving: ModuleRoute { self == .service ? .service : .inProcess }
}
