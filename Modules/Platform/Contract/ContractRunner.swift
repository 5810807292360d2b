import Dispatch

/// Runs contract cases against a provider and records what each did, so
/// `swift test` and `banyan contract` judge a provider the same way.
///
///     let results = ContractRunner.run(PaymentsContract.cases, against: PaymentsClient(transport: transport)) {
///         print($0.passed ? "ok   \($0.name)" : "FAIL \($0.name): \($0.failure!)")
///     }
///
/// Calls block (the facades are synchronous), so run it on a plain thread,
/// not on Swift's cooperative pool when it can be avoided.
public enum ContractRunner {
    /// Runs one case in `environment` (by default a fresh one).
    /// Never throws: every outcome is a result.
    public static func run<Provider>(
        _ contractCase: ContractCase<Provider>, against provider: Provider,
        in environment: ContractEnvironment = .fresh()
    ) -> ContractResult {
        let started = DispatchTime.now().uptimeNanoseconds
        var failure: String?
        do {
            try contractCase.run(provider, environment)
        } catch let broken as ContractFailure {
            failure = broken.message
        } catch {
            // Not a rule the case checked: a call it expected to succeed threw.
            failure = "unexpected error: \(Expect.describe(error: error))"
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return ContractResult(name: contractCase.name, failure: failure, seconds: seconds)
    }

    /// Runs every case in order, each in a fresh environment, reporting
    /// each result as it comes.
    public static func run<Provider>(
        _ cases: [ContractCase<Provider>], against provider: Provider,
        progress: (ContractResult) -> Void = { _ in }
    ) -> [ContractResult] {
        cases.map { contractCase in
            let result = run(contractCase, against: provider)
            progress(result)
            return result
        }
    }
}
