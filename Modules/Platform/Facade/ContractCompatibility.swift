import Platform

/// Whether a service serves what a caller expects of a module, checked
/// structurally like a breaking-change detector: the caller's description
/// (the monolith's, of the operations it calls) against the service's
/// (`GET /contract`). Pure: the same two descriptions give the same findings
/// in the same order.
///
///     let verdict = ContractCompatibility.check(expected: interfaceContract, served: fetched)
///     if !verdict.isCompatible { for finding in verdict.breaking { print(finding) } }
///
/// The rules (docs/contract-compatibility.md has them with examples):
/// - Each expected operation must be served; a served operation not
///   expected is additive. One the caller thinks read-only must still be.
/// - The request is written by the caller and read by the service; the
///   response written by the service and read by the caller. For each,
///   with the reader's and writer's optional paths and the reader's closed
///   objects (`OperationDescription`):
///   - a member the reader requires that the writer lacks, or may leave out,
///     breaks (a new required request field; a response field removed);
///     one the reader does without is additive;
///   - a member the writer has and the reader does not know breaks only
///     where the reader's object refuses unknown keys; else it is additive
///     (a new response field; a request field the service ignores);
///   - types must match, except that a reader of `number` reads an
///     `integer`; arrays compare their elements' shapes; `null` (a sample
///     without a value) and `[]` (an empty sample array) are not compared.
/// - A side without optional paths (a description written before they
///   existed) is taken to treat the members both sides have as the other
///   side's type does, and to require (and always send) the members only it
///   has: the same type on both sides stays compatible, and nothing it never
///   said is assumed optional.
public struct ContractCompatibility: Sendable, Equatable {
    /// Sorted: breaking first (see `ContractFinding.<`).
    public let findings: [ContractFinding]

    public var breaking: [ContractFinding] { findings.filter(\.isBreaking) }
    public var additive: [ContractFinding] { findings.filter { !$0.isBreaking } }
    public var isCompatible: Bool { !findings.contains(where: \.isBreaking) }

    init(findings: [ContractFinding]) {
        self.findings = findings.sorted()
    }

    public static func check(expected: ContractDescription, served: ContractDescription) -> ContractCompatibility {
        var findings: [ContractFinding] = []
        if expected.module != served.module {
            findings.append(
                ContractFinding(
                    .breaking, .moduleMismatch, operation: expected.module, part: .operation,
                    reason: "the service serves module \(served.module), not \(expected.module)"))
        }
        let servedByName = Dictionary(served.operations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let expectedNames = Set(expected.operations.map(\.name))
        for operation in expected.operations {
            guard let offered = servedByName[operation.name] else {
                findings.append(
                    ContractFinding(
                        .breaking, .operationMissing, operation: operation.name, part: .operation,
                        reason: "the service does not serve this operation"))
                continue
            }
            findings += compare(expected: operation, served: offered)
        }
        for operation in served.operations where !expectedNames.contains(operation.name) {
            findings.append(
                ContractFinding(
                    .additive, .newOperation, operation: operation.name, part: .operation,
                    reason: "a new operation the caller does not call"))
        }
        return ContractCompatibility(findings: findings)
    }

    private static func compare(expected: OperationDescription, served: OperationDescription) -> [ContractFinding] {
        var findings: [ContractFinding] = []
        if expected.readOnly && !served.readOnly {
            findings.append(
                ContractFinding(
                    .breaking, .noLongerReadOnly, operation: expected.name, part: .operation,
                    reason: "the caller treats it as read-only (retries it freely); the service says it changes data"))
        } else if !expected.readOnly && served.readOnly {
            findings.append(
                ContractFinding(
                    .additive, .nowReadOnly, operation: expected.name, part: .operation,
                    reason: "the service says it changes nothing"))
        }
        // The caller writes the request and the service reads it.
        var request = Comparison(operation: expected.name, part: .request)
        request.writerOptional = expected.requestOptional.map(Set.init)
        request.readerOptional = served.requestOptional.map(Set.init)
        request.readerClosed = Set(served.requestClosed ?? [])
        request.run(writer: expected.requestShape, reader: served.requestShape)
        // The service writes the response and the caller reads it.
        var response = Comparison(operation: expected.name, part: .response)
        response.writerOptional = served.responseOptional.map(Set.init)
        response.readerOptional = expected.responseOptional.map(Set.init)
        response.readerClosed = Set(expected.responseClosed ?? [])
        response.run(writer: served.responseShape, reader: expected.responseShape)
        return findings + request.findings + response.findings
    }

    /// One body's writer shape against its reader shape.
    private struct Comparison {
        let operation: String
        let part: ContractFinding.Part
        /// Nil: not known (see the fallback in `readerDoesWithout`).
        var writerOptional: Set<String>?
        var readerOptional: Set<String>?
        var readerClosed: Set<String> = []
        var findings: [ContractFinding] = []

        init(operation: String, part: ContractFinding.Part) {
            self.operation = operation
            self.part = part
        }

        mutating func run(writer: String, reader: String) {
            guard let writerShape = try? WireJSON.decode(JSONValue.self, from: Array(writer.utf8)),
                let readerShape = try? WireJSON.decode(JSONValue.self, from: Array(reader.utf8))
            else {
                add(.breaking, .unreadableShape, at: "", "a shape is not JSON: \(writer) / \(reader)")
                return
            }
            compare(writerShape, readerShape, at: "")
        }

        private mutating func add(
            _ severity: ContractFinding.Severity, _ kind: ContractFinding.Kind, at path: String, _ reason: String
        ) {
            findings.append(ContractFinding(severity, kind, operation: operation, part: part, path: path, reason: reason))
        }

        private var writerName: String { part == .request ? "the caller" : "the service" }
        private var readerName: String { part == .request ? "the service" : "the caller" }

        private mutating func compare(_ writer: JSONValue, _ reader: JSONValue, at path: String) {
            switch (writer, reader) {
            case (.string("null"), _), (_, .string("null")):
                if writer != reader {
                    add(.additive, .notCompared, at: path, "one sample has null here: \(Self.name(writer)) / \(Self.name(reader))")
                }
            case (.string(let written), .string(let read)):
                if written != read && !(written == "integer" && read == "number") {
                    add(.breaking, .typeChanged, at: path, "type changed \(expectedName(writer, reader)) → \(actualName(writer, reader))")
                }
            case (.array(let written), .array(let read)):
                compareElements(written, read, at: path)
            case (.object(let written), .object(let read)):
                compareMembers(written, read, at: path)
            default:
                add(.breaking, .typeChanged, at: path, "type changed \(expectedName(writer, reader)) → \(actualName(writer, reader))")
            }
        }

        /// The caller's side of a type change is what was expected.
        private func expectedName(_ writer: JSONValue, _ reader: JSONValue) -> String {
            Self.name(part == .request ? writer : reader)
        }

        private func actualName(_ writer: JSONValue, _ reader: JSONValue) -> String {
            Self.name(part == .request ? reader : writer)
        }

        private mutating func compareElements(_ writer: [JSONValue], _ reader: [JSONValue], at path: String) {
            let elementPath = path + "[]"
            if writer.isEmpty || reader.isEmpty {
                if writer.isEmpty != reader.isEmpty {
                    add(.additive, .notCompared, at: elementPath, "one sample's array is empty: its elements are not compared")
                }
                return
            }
            if writer.count == 1 && reader.count == 1 {
                compare(writer[0], reader[0], at: elementPath)
                return
            }
            // Mixed element shapes: each kind the writer sends needs a reader element of the same shape.
            let readable = Set(reader.map(Self.text))
            for element in writer where !readable.contains(Self.text(element)) {
                add(.breaking, .typeChanged, at: elementPath, "elements of shape \(Self.text(element)) are not read")
            }
        }

        private mutating func compareMembers(
            _ writer: [String: JSONValue], _ reader: [String: JSONValue], at path: String
        ) {
            for key in Set(writer.keys).union(reader.keys).sorted() {
                let memberPath = path + "." + key
                switch (writer[key], reader[key]) {
                case (let written?, let read?):
                    if !readerDoesWithout(memberPath) && writerMayOmit(memberPath) {
                        add(.breaking, .mayBeOmitted, at: memberPath, "\(readerName) requires it; \(writerName) may leave it out")
                    }
                    compare(written, read, at: memberPath)
                case (nil, _?):
                    if readerDoesWithout(memberPath) {
                        if part == .request {
                            add(.additive, .newOptionalField, at: memberPath, "a new optional field the caller does not send")
                        } else {
                            add(.additive, .optionalFieldDropped, at: memberPath, "the service no longer sends it; the caller does without")
                        }
                    } else if part == .request {
                        add(.breaking, .requiredFieldAdded, at: memberPath, "the service requires it; the caller does not send it")
                    } else {
                        add(.breaking, .fieldRemoved, at: memberPath, "the caller requires it; the service no longer sends it")
                    }
                case (_?, nil):
                    if readerClosed.contains(path) {
                        add(.breaking, .unknownFieldRefused, at: memberPath, "\(readerName) refuses keys it does not know")
                    } else if part == .request {
                        add(.additive, .fieldIgnored, at: memberPath, "the service no longer reads it (unknown keys are ignored)")
                    } else {
                        add(.additive, .newField, at: memberPath, "a new field the caller ignores")
                    }
                case (nil, nil):
                    break
                }
            }
        }

        // A side that does not say is like the other side for the members
        // both have; a member only it has is not in the other's list, so it
        // counts as required and always sent.
        private func readerDoesWithout(_ path: String) -> Bool { (readerOptional ?? writerOptional)?.contains(path) ?? false }
        private func writerMayOmit(_ path: String) -> Bool { (writerOptional ?? readerOptional)?.contains(path) ?? false }

        static func name(_ shape: JSONValue) -> String {
            switch shape {
            case .string(let type): type
            case .array: "array"
            case .object: "object"
            default: text(shape)
            }
        }

        static func text(_ shape: JSONValue) -> String {
            var out = ""
            shape.write(to: &out)
            return out
        }
    }
}
