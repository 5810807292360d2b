import BanyanTestSupport
import Contract
import Facade
import Foundation
import ModuleRegistry
import Platform
import Synchronization
import Testing

// What the registry promises of every module it says runs as a service,
// proved for each one: a newly extracted module that forgot a step fails
// here, with the step named.
extension ModuleContractTests {
    @Test(arguments: extractable)
    func itsTableBindsExactlyTheOperationsItsAPIDeclares(_ name: String) throws {
        let fixture = try ContractFixture.require(name)
        let bound = fixture.table.contract.operations
        let declared = fixture.service.operations
        let missing = Set(declared.map(\.name)).subtracting(bound.map(\.name))
        let extra = Set(bound.map(\.name)).subtracting(declared.map(\.name))
        #expect(missing.isEmpty, "declared but not bound in its table: \(missing.sorted())")
        #expect(extra.isEmpty, "bound but not declared by its API: \(extra.sorted())")
        #expect(bound == declared, "the same read-only flags and shapes as declared")
    }

    @Test(arguments: extractable)
    func itsClientReachesEveryOperationThroughALocalTransportAndItsSuitePasses(_ name: String) throws {
        let fixture = try ContractFixture.require(name)
        // The fixture's local transport: the module's table, and other
        // modules' tables for the data a contract arranges in them (Orders' menu and stock).
        let recording = RecordingTransport(fixture.local)
        let results = fixture.service.contract.run(against: recording)
        #expect(!results.isEmpty, "a contract suite with cases")
        #expect(Set(results.map(\.name)).count == results.count, "case names are unique")
        for failed in results where !failed.passed {
            Issue.record("in process, \(failed.name): \(failed.failure ?? "")")
        }
        #expect(
            recording.called.filter { $0.hasPrefix(name + ".") }
                == Set(fixture.service.operations.map(\.name)),
            "the client's calls, made by the suite, reach every declared operation and no other of its module")
    }

    @Test(arguments: extractable)
    func itsServiceExecutableServesTheSameContractAsTheModule(_ name: String) throws {
        let fixture = try ContractFixture.require(name)
        let executable = ChildProcess.product(fixture.service.executable)
        #expect(FileManager.default.isExecutableFile(atPath: executable.path), "\(executable.path) is built")
        let served = try ContractDescription.fetch(from: fixture.process.baseURL)
        #expect(served.module == name)
        #expect(served.fingerprint == fixture.table.contract.fingerprint)
        #expect(served == ContractDescription(module: name, operations: fixture.service.operations))
    }
}

/// A transport that notes the name of every operation called through it
/// before passing the call on.
final class RecordingTransport: Transport {
    private let base: any Transport
    private let names = Mutex<Set<String>>([])

    init(_ base: any Transport) { self.base = base }

    var called: Set<String> { names.withLock { $0 } }

    func call<Request, Response>(
        _ operation: Facade.Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        names.withLock { _ = $0.insert(operation.name) }
        return try base.call(operation, context, request)
    }
}
