import Foundation
import Platform
import Routing

/// How every Banyan process finds its routing: the flags.json it routes by,
/// how its remote calls behave, and (for a service) where the monolith's
/// internal listener is. Read once, in `main` or `ServiceMain`, so the
/// gateway and the services read the same settings the same way.
public enum RoutingSetup {
    /// `BANYAN_FLAGS`, else `flags.json` in the working directory.
    public static func flagsPath() -> String {
        Configuration.value("BANYAN_FLAGS") ?? FileManager.default.currentDirectoryPath + "/flags.json"
    }

    /// `BANYAN_SERVICE_CONNECT_TIMEOUT_MS`, `BANYAN_SERVICE_TIMEOUT_MS`,
    /// `BANYAN_SERVICE_MAX_INFLIGHT` over the defaults.
    public static func serviceCalls(secret: [UInt8]) -> ServiceCalls {
        let defaults = ServiceCalls(secret: secret)
        return ServiceCalls(
            secret: secret,
            connectTimeout: milliseconds("BANYAN_SERVICE_CONNECT_TIMEOUT_MS", default: defaults.connectTimeout),
            totalTimeout: milliseconds("BANYAN_SERVICE_TIMEOUT_MS", default: defaults.totalTimeout),
            maxInFlight: Configuration.int("BANYAN_SERVICE_MAX_INFLIGHT", default: defaults.maxInFlight))
    }

    /// `BANYAN_MONOLITH_URL`, else the gateway's internal listener on this machine.
    public static func monolithURL() -> String {
        guard let url = Configuration.value("BANYAN_MONOLITH_URL"), !url.isEmpty else {
            return ModuleRouter.defaultMonolithURL
        }
        return url
    }

    private static func milliseconds(_ name: String, default fallback: Double) -> Double {
        Double(Configuration.int(name, default: Int((fallback * 1000).rounded()))) / 1000
    }
}
