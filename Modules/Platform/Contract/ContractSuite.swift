import Facade

/// A module's contract cases together with the client that puts its facade
/// over a transport: all a runner needs to check any provider of the module
/// — the table in this process, a service started by the tests, a deployed
/// service — without knowing the facade's type. Module descriptors carry
/// one, so `banyan contract` and the tests run every module the same way.
///
///     let suite = ContractSuite(cases: PaymentsContract.cases, client: PaymentsClient.init(transport:))
///     let results = suite.run(against: HTTPTransport(…))
public struct ContractSuite: Sendable {
    /// The cases' names, in the order `run(against:progress:)` runs them.
    public let caseNames: [String]
    /// Runs the case at an index of `caseNames` against a provider reached through a transport.
    private let runCase: @Sendable (Int, any Transport) -> ContractResult

    public init<Provider>(cases: [ContractCase<Provider>], client: @escaping @Sendable (any Transport) -> Provider) {
        caseNames = cases.map(\.name)
        runCase = { index, transport in ContractRunner.run(cases[index], against: client(transport)) }
    }

    /// Runs the case called `name`, in a fresh environment; nil when the suite has none of that name.
    public func run(_ name: String, against transport: any Transport) -> ContractResult? {
        caseNames.firstIndex(of: name).map { runCase($0, transport) }
    }

    /// Runs every case in order, each in a fresh environment, reporting each result as it comes.
    public func run(against transport: any Transport, progress: (ContractResult) -> Void = { _ in }) -> [ContractResult] {
        run(against: transport, progress: progress, stoppingWhen: { false })
    }

    /// As `run(against:progress:)`, but stops after a case when `stop()`
    /// says the cases left would all fail for the same reason (see
    /// `TokenRefusals`): the results of the cases that ran.
    public func run(
        against transport: any Transport, progress: (ContractResult) -> Void = { _ in }, stoppingWhen stop: () -> Bool
    ) -> [ContractResult] {
        var results: [ContractResult] = []
        for index in caseNames.indices {
            let result = runCase(index, transport)
            progress(result)
            results.append(result)
            if stop() { break }
        }
        return results
    }
}
