/// Where one module's calls run for a tenant: in this process, or in the
/// module's extracted service executable (its URL is in `services`).
public enum ModuleRoute: String, Sendable, Codable, CaseIterable {
    case inProcess = "in-process"
    case service
}
