import Platform

/// A module's fallback, as routing applies it: which failures may be served
/// elsewhere, and how `x-banyan-route` names a call served there.
package enum Fallback {
    /// `payments=fallback` in `x-banyan-route`: the call was meant for the
    /// service and served at the in-process home instead.
    package static let route = "fallback"

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
