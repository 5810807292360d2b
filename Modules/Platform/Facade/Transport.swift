import Platform

/// Carries one operation call to the module that serves it, in this process
/// (`LocalTransport`) or in a service (`HTTPTransport`).
///
/// Both throw the same errors for the same outcome: the module's typed
/// errors, `AccessDenied`, `DeadlineExceeded`; only a remote transport adds
/// `ModuleUnavailable`, when it got no usable answer, and only a bulkhead
/// `ModuleBusy`. All of these live in Platform beside `Problem`, so a
/// module's Core catches them by type without importing Facade.
public protocol Transport: Sendable {
    func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response
}
