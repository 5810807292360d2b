import Platform

/// A module's fallback, as routing applies it: which failures may be served
/// elsewhere (`CallPath.fallback` names a call served there, in
/// `x-banyan-route` as `payments=fallback`).
package enum Fallback {
    /// Whether `error` proves the call never reached the service, so running
    /// it elsewhere cannot run it twice: a refused connection for a write
    /// (`ModuleUnavailable.neverReached`), or this process's bulkhead
    /// refusing to send (`ModuleBusy`). The same test a checkout uses to
    /// undo its own steps at once (`CheckoutSaga.neverReached`).
    package static func neverReached(_ error: any Error) -> Bool {
        switch error {
        case let unavailable as ModuleUnavailable: unavailable.neverReached
        case is ModuleBusy: true
        default: false
        }
    }
}
