import Facade
import Foundation
import Platform

// A module of one lookup for `RoutingBenchmark`, built the way every module
// is (a facade protocol, a client forwarding each call to its operation, a
// record the size of a payment), so the benchmark measures the way to a
// handler and no module's own code.

protocol BenchFacade: Sendable {
    func record(_ context: CallContext, id: String) throws -> BenchRecord
}

struct BenchClient: BenchFacade {
    static let lookup = Facade.Operation<BenchReference, BenchRecord>("bench.record", readOnly: true)

    let transport: any Transport

    func record(_ context: CallContext, id: String) throws -> BenchRecord {
        try transport.call(Self.lookup, context, BenchReference(id: id))
    }
}

struct BenchReference: ContractSample {
    static let contractSample = BenchReference(id: "00000000-0000-0000-0000-000000000001")

    var id: String
}

struct BenchRecord: ContractSample {
    static let contractSample = BenchRecord(
        id: BenchReference.contractSample.id, orderID: "00000000-0000-0000-0000-000000000002", amountCents: 1250,
        currency: "USD", status: "captured", key: "order:1", reference: "sim_1",
        createdAt: Date(timeIntervalSince1970: 0))

    var id: String
    var orderID: String?
    var amountCents: Int64
    var currency: String
    var status: String
    var key: String
    var reference: String?
    var createdAt: Date
}
