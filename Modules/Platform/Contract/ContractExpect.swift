import Facade
import Platform

/// The assertions contract cases make. Each throws a `ContractFailure`
/// saying what was expected and what came instead, prefixed by `what`
/// (the call or value being checked), so a failed line in a CI log reads
/// on its own: `refund as cashier: expected AccessDenied insufficient_role, got success`.
public enum Expect {
    public static func equal<Value: Equatable>(_ actual: Value, _ expected: Value, _ what: @autoclosure () -> String)
        throws(ContractFailure)
    {
        guard actual == expected else {
            throw ContractFailure("\(what()): expected \(describe(expected)), got \(describe(actual))")
        }
    }

    public static func that(_ condition: Bool, _ what: @autoclosure () -> String) throws(ContractFailure) {
        guard condition else { throw ContractFailure("\(what()): expected true, got false") }
    }

    /// The value, or a failure when there is none.
    @discardableResult
    public static func some<Value>(_ value: Value?, _ what: @autoclosure () -> String) throws(ContractFailure) -> Value {
        guard let value else { throw ContractFailure("\(what()): expected a value, got nil") }
        return value
    }

    public static func none<Value>(_ value: Value?, _ what: @autoclosure () -> String) throws(ContractFailure) {
        if let value { throw ContractFailure("\(what()): expected nil, got \(describe(value))") }
    }

    /// Runs `body` and expects it to throw an error equal to `expected`
    /// (typed errors compare by code). Returns the error thrown, for checks
    /// on what it carries.
    ///
    /// A `ContractFailure` from inside `body` is passed on as it is.
    @discardableResult
    public static func error<Failure: Error & Equatable, Result>(
        _ expected: Failure, _ what: @autoclosure () -> String, _ body: () throws -> Result
    ) throws -> Failure {
        let outcome: Result
        do {
            outcome = try body()
        } catch let failure as ContractFailure {
            throw failure
        } catch let thrown as Failure where thrown == expected {
            return thrown
        } catch {
            throw ContractFailure("\(what()): expected \(describe(error: expected)), got \(describe(error: error))")
        }
        throw ContractFailure("\(what()): expected \(describe(error: expected)), got success: \(describe(outcome))")
    }

    /// A value in a failure message: short enough for one log line.
    static func describe<Value>(_ value: Value) -> String {
        let text = String(describing: value)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// An error by its type and wire code (`PaymentsError payment_not_found (404)`),
    /// the way the two paths of a facade are supposed to agree on it.
    public static func describe(error: any Error) -> String {
        if let unavailable = error as? ModuleUnavailable { return unavailable.description }
        if let failure = error as? ContractFailure { return failure.message }
        if let convertible = error as? any ProblemConvertible {
            let problem = convertible.problem
            return "\(type(of: error)) \(problem.code) (\(problem.status))"
        }
        return describe(error as Any)
    }
}
