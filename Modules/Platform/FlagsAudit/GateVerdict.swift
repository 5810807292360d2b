import Platform

/// What the gate (the checks a flags change must pass before it is written)
/// said about a change, stored as `ops.flag_changes.gate`:
/// `{"result": "passed"|"refused"|"forced"|"unchecked", "findings": [...], "force_reason": ...}`.
public struct GateVerdict: Codable, Sendable, Equatable {
    public enum Result: String, Codable, Sendable, CaseIterable {
        /// The gate found nothing blocking; the change was written.
        case passed
        /// The gate blocked the change and it was not written: the row records
        /// the attempt, its `to_version` and `after_document` are what was proposed.
        case refused
        /// The gate blocked the change and an operator overrode it, saying why.
        case forced
        /// The change never went through the gate: a hand edit of the file,
        /// seen by a reload.
        case unchecked
    }

    public var result: Result
    /// What the gate found, in its own shape (the audit log keeps them as given).
    public var findings: [JSONValue]
    /// Why the operator overrode the gate; required when `result` is `.forced`.
    public var forceReason: String?

    public init(result: Result, findings: [JSONValue] = [], forceReason: String? = nil) {
        self.result = result
        self.findings = findings
        self.forceReason = forceReason
    }

    private enum CodingKeys: String, CodingKey {
        case result, findings
        case forceReason = "force_reason"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        result = try container.decode(Result.self, forKey: .result)
        findings = try container.decodeIfPresent([JSONValue].self, forKey: .findings) ?? []
        forceReason = try container.decodeIfPresent(String.self, forKey: .forceReason)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result, forKey: .result)
        try container.encode(findings, forKey: .findings)
        try container.encode(forceReason, forKey: .forceReason)
    }
}
