/// What a module's callers do when its service fails, from the module's
/// entry in flags.json:
///
///     "payments": { "default": "service", "tenants": {}, "fallback": "in-process",
///                   "breaker": { "failures": 5, "open_seconds": 10, "auto_rollback_after_seconds": 300 } }
///
/// `fallback`: where a call that provably never reached the service
/// (`ModuleUnavailable.neverReached`) runs instead — only `in-process`,
/// which is safe because every home runs the same code over the same data
/// with the same idempotency keys. Without it such a call answers 503
/// `module_unavailable`. An ambiguous failure is never retried elsewhere.
///
/// `breaker`: when to stop calling the service (see `BreakerSettings`);
/// every key is optional, with the defaults there.
public struct ServicePolicy: Sendable, Equatable {
    /// nil: no fallback; else `.inProcess`.
    public var fallback: ModuleRoute?
    public var breaker: BreakerSettings

    public init(fallback: ModuleRoute? = nil, breaker: BreakerSettings = BreakerSettings()) {
        self.fallback = fallback
        self.breaker = breaker
    }

    /// No fallback and the default breaker: what a module without either key gets.
    public static let standard = ServicePolicy()
}

/// A service's circuit breaker, as flags.json sets it. Each key is optional
/// (nil here: not written, the default applies); `effective` fills them in.
///
/// The breaker opens after `failures` consecutive failed calls, or when at
/// least `minimum_calls` calls in the last `window_seconds` failed at
/// `error_rate` percent or more; stays open `open_seconds`, answering from
/// the fallback (or 503) without calling; then lets one probe through
/// (half-open) and closes when it succeeds. Open longer than
/// `auto_rollback_after_seconds`, it moves the module's service tenants
/// back in-process in flags.json, recorded as actor `breaker`.
public struct BreakerSettings: Sendable, Equatable {
    public var failures: Int?
    public var errorRate: Int?
    public var windowSeconds: Int?
    public var minimumCalls: Int?
    public var openSeconds: Int?
    public var autoRollbackAfterSeconds: Int?

    public init(
        failures: Int? = nil, errorRate: Int? = nil, windowSeconds: Int? = nil, minimumCalls: Int? = nil,
        openSeconds: Int? = nil, autoRollbackAfterSeconds: Int? = nil
    ) {
        self.failures = failures
        self.errorRate = errorRate
        self.windowSeconds = windowSeconds
        self.minimumCalls = minimumCalls
        self.openSeconds = openSeconds
        self.autoRollbackAfterSeconds = autoRollbackAfterSeconds
    }

    /// The settings with every key present, defaults for the unwritten ones.
    public struct Effective: Sendable, Equatable {
        public let failures: Int
        public let errorRate: Int
        public let windowSeconds: Int
        public let minimumCalls: Int
        public let openSeconds: Int
        /// nil: never rolls back by itself.
        public let autoRollbackAfterSeconds: Int?
    }

    public var effective: Effective {
        Effective(
            failures: failures ?? 5, errorRate: errorRate ?? 50, windowSeconds: windowSeconds ?? 30,
            minimumCalls: minimumCalls ?? 20, openSeconds: openSeconds ?? 10,
            autoRollbackAfterSeconds: autoRollbackAfterSeconds)
    }

    /// The keys flags.json may hold, their wire names and ranges, in the order they are written.
    public static var keys: [(name: String, range: ClosedRange<Int>, path: WritableKeyPath<BreakerSettings, Int?>)] {
        [
            ("failures", 1...1000, \.failures),
            ("error_rate", 1...100, \.errorRate),
            ("window_seconds", 1...3600, \.windowSeconds),
            ("minimum_calls", 1...100_000, \.minimumCalls),
            ("open_seconds", 1...3600, \.openSeconds),
            ("auto_rollback_after_seconds", 1...86_400, \.autoRollbackAfterSeconds),
        ]
    }

    public var isEmpty: Bool { self == BreakerSettings() }

    /// `failures 5, open_seconds 10`: the keys written, for logs and previews; `default` when none.
    public var summary: String {
        let written = Self.keys.compactMap { key in self[keyPath: key.path].map { "\(key.name) \($0)" } }
        return written.isEmpty ? "default" : written.joined(separator: ", ")
    }
}
