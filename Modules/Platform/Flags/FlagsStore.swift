import Foundation
import Platform
import Synchronization

/// The live flags.json: loaded at start, watched, and served to every routed
/// facade call as an immutable `FlagsSnapshot`.
///
/// A bad file never replaces a good one. When the file turns invalid,
/// unreadable or disappears, the last good snapshot keeps routing, the
/// problem shows in `lastError` (for `/ready` and `GET /admin/flags`) and is
/// logged once; the next good file clears it.
///
///     let flags = try FlagsStore(path: "flags.json", knownModules: ["payments", "inventory"])
///     flags.start()
///     let route = flags.current.route(module: "payments", tenant: "demo-cafe")
public final class FlagsStore: Sendable {
    /// The watched path, absolute; symlinks in it are followed on each read, not resolved once.
    public let path: String
    private let knownModules: Set<String>?
    private let pollInterval: Double
    private let log: Log

    /// The bit pattern of an unretained pointer to the active `Published` box.
    /// Readers load it and copy the snapshot out, with no lock: every module
    /// call does this. It is safe because no box is ever freed while the
    /// store lives (see `published`), so a reader that loaded the old pointer
    /// just before a reload still reads a live object.
    private let active: Atomic<UInt>
    /// Every snapshot ever published here, keeping each alive for the store's
    /// lifetime: the price of the lock-free read. It is a bounded leak — one
    /// snapshot (about the size of flags.json) per successful reload, and
    /// reloads are operator edits, not traffic. Freed with the store, when no
    /// reader can hold a pointer any more.
    private let published: Mutex<[Published]>
    /// The watcher's memory of the file; held for a whole check so concurrent
    /// `reloadNow` calls and the poller load in turn and versions stay in order.
    private let watch: Mutex<WatchState>
    /// Apart from `watch` so reading it (`/ready`) never waits on file I/O.
    private let failure: Mutex<LoadFailure?>
    private let poller = Mutex<PollingThread?>(nil)
    /// Files loaded (published) and refused since start, for `/metrics`; a
    /// missing file counts as neither.
    private let loads = Atomic<Int>(0)
    private let rejections = Atomic<Int>(0)

    /// Files this store published (the one at start included) and files it refused as invalid or unreadable.
    public var loadCounts: (loaded: Int, rejected: Int) {
        (loads.load(ordering: .relaxed), rejections.load(ordering: .relaxed))
    }

    /// Loads `path` at once.
    ///
    /// A missing file gives `FlagsSnapshot.defaults` (everything in-process)
    /// and a `lastError` saying so; the file is picked up when it appears. An
    /// invalid or unreadable file throws, so a bad deploy fails loudly at
    /// start — unless `allowInvalidAtStart`, which starts on the defaults
    /// with `lastError` set instead.
    public init(
        path: String, knownModules: Set<String>? = nil, pollInterval: Double = 0.2, allowInvalidAtStart: Bool = false,
        log: Log = .shared
    ) throws(FlagsError) {
        self.path = FlagsFile.absolute(path)
        self.knownModules = knownModules
        self.pollInterval = pollInterval
        self.log = log
        var state = WatchState()
        let outcome = Self.examine(path: self.path, knownModules: knownModules, state: &state)
        if case .failed(let error) = outcome, !allowInvalidAtStart { throw error }
        let first = Published(outcome.snapshot ?? .defaults, routedModules: [])
        published = Mutex([first])
        active = Atomic(UInt(bitPattern: Unmanaged.passUnretained(first).toOpaque()))
        watch = Mutex(state)
        failure = Mutex(nil)
        if let snapshot = outcome.snapshot {
            loads.wrappingAdd(1, ordering: .relaxed)
            logLoaded(snapshot, previous: .defaults)
        } else {
            _ = watch.withLock { state in apply(outcome, state: &state) }
        }
    }

    deinit {
        poller.withLock { $0?.requestStop() }
    }

    /// The active snapshot. Lock-free: one atomic load and a copy.
    public var current: FlagsSnapshot {
        activeBox.snapshot
    }

    /// `current.route(module:tenant:)` without copying the snapshot out: the routed facades' hot path.
    public func route(module: String, tenant: String) -> ModuleRoute {
        activeBox.snapshot.route(module: module, tenant: tenant)
    }

    /// The route and, for `.service`, the service's URL, read from one
    /// snapshot (so a reload between two reads can never pair a route with
    /// another snapshot's URL), without copying it out.
    public func resolve(module: String, tenant: String) -> (route: ModuleRoute, serviceURL: String?) {
        let box = activeBox
        let route = box.snapshot.route(module: module, tenant: tenant)
        return (route, route == .service ? box.snapshot.serviceURL(module: module) : nil)
    }

    /// `resolve(module:tenant:)` for a module registered with `routed(_:)`:
    /// its routing is found by position in the snapshot's box, so only the
    /// tenant's id is hashed — the routed facades' hot path.
    @inline(__always)
    public func resolve(_ module: RoutedModule, tenant: String) -> (route: ModuleRoute, serviceURL: String?) {
        let box = activeBox
        guard module.slot < box.routed.count else { return resolve(module: module.name, tenant: tenant) }
        let routed = box.routed[module.slot]
        guard let routing = routed.routing else { return (.inProcess, nil) }
        let route = routing.route(module: module.name, tenant: tenant)
        return (route, route == .service ? routed.serviceURL : nil)
    }

    /// Registers `module` (once per name; again gives the same handle) so
    /// `resolve(_:tenant:)` finds its routing without hashing its name. Every
    /// snapshot published from now on carries it; the active one is
    /// published again, with it, before this returns.
    public func routed(_ module: String) -> RoutedModule {
        watch.withLock { state in
            if let slot = state.routedModules.firstIndex(of: module) { return RoutedModule(name: module, slot: slot) }
            state.routedModules.append(module)
            publish(activeBox.snapshot, routedModules: state.routedModules)
            return RoutedModule(name: module, slot: state.routedModules.count - 1)
        }
    }

    /// The last failed load — invalid, unreadable or missing file — cleared by the next good one.
    public var lastError: (message: String, at: Date)? {
        failure.withLock { $0.map { ($0.message, $0.at) } }
    }

    /// Starts the background thread that checks the file every `pollInterval`
    /// seconds and reloads it when its identity or content changed. Calling it
    /// again while running does nothing.
    public func start() {
        poller.withLock { running in
            guard running == nil else { return }
            let interval = max(pollInterval, 0.001)  // a zero interval would spin a core
            // Weak, so a store dropped without `stop()` still goes away; its poller ends on the next tick.
            running = PollingThread(name: "banyan-flags") { [weak self] poller in
                while !poller.isStopping {
                    guard self?.reloadNow() != nil else { return }
                    poller.pause(interval)
                }
            }
        }
    }

    /// Stops the background thread and waits for it, so no reload happens after this returns.
    public func stop() {
        let running = poller.withLock { running in
            defer { running = nil }
            return running
        }
        running?.requestStop()
        running?.join()
    }

    /// Checks the file now, as one poll would. Returns true when a new
    /// snapshot was published.
    @discardableResult
    public func reloadNow() -> Bool {
        watch.withLock { state in
            let outcome = Self.examine(path: path, knownModules: knownModules, state: &state)
            return apply(outcome, state: &state)
        }
    }

    // MARK: - Loading

    private var activeBox: Published {
        let bits = active.load(ordering: .acquiring)
        // Never 0: `init` publishes before anyone can read. Retained by `published`.
        return Unmanaged<Published>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)
            .takeUnretainedValue()
    }

    /// Publishes, records or logs what `examine` found. Called with `watch` held.
    @discardableResult
    private func apply(_ outcome: Outcome, state: inout WatchState) -> Bool {
        switch outcome {
        case .unchanged:
            return false
        case .loaded(let snapshot):
            let previous = activeBox.snapshot
            publish(snapshot, routedModules: state.routedModules)
            failure.withLock { $0 = nil }
            loads.wrappingAdd(1, ordering: .relaxed)
            state.loggedError = nil
            logLoaded(snapshot, previous: previous)
            return true
        case .failed(let error), .missing(let error):
            if case .failed = outcome { rejections.wrappingAdd(1, ordering: .relaxed) }
            let message = error.description
            failure.withLock { $0 = LoadFailure(message: message, at: Date()) }
            if state.loggedError != message {
                state.loggedError = message
                let active = activeBox.snapshot
                log.warning(
                    active.version == 0
                        ? "flags.json not usable; every module runs in-process"
                        : "flags.json not usable; still routing by the last good one",
                    ["source": .string(path), "error": .string(message), "active_version": .int(active.version)])
            }
            return false
        }
    }

    /// Makes `snapshot` the active one. Called with `watch` held, so boxes are published in order.
    private func publish(_ snapshot: FlagsSnapshot, routedModules: [String]) {
        let box = Published(snapshot, routedModules: routedModules)
        published.withLock { $0.append(box) }
        active.store(UInt(bitPattern: Unmanaged.passUnretained(box).toOpaque()), ordering: .releasing)
    }

    /// One line per load, listing the routes that moved: the operator's confirmation that an edit took.
    private func logLoaded(_ snapshot: FlagsSnapshot, previous: FlagsSnapshot) {
        let changes = snapshot.changes(from: previous)
        log.info(
            "flags loaded",
            [
                "source": .string(snapshot.source), "load": .int(snapshot.version),
                "version": .string(snapshot.fileVersion?.description ?? "none"),
                "changes": .string(changes.isEmpty ? "none" : changes.joined(separator: "; ")),
            ])
    }

    /// Looks at the file and decides, without touching the store: nothing new,
    /// a new snapshot to publish, or a failure to report. Repeats of the same
    /// observation report `.unchanged`, so a bad file is parsed and logged once.
    private static func examine(path: String, knownModules: Set<String>?, state: inout WatchState) -> Outcome {
        switch FlagsFile.probe(path) {
        case .missing:
            return state.observe(.missing, error: FlagsError(field: "file", message: "\(path) does not exist"))
        case .failed(let message):
            return state.observe(.failed(message), error: FlagsError(field: "file", message: message))
        case .present(let identity):
            if case .read(let seen, _, let readAt) = state.observed, seen == identity,
                !FlagsFile.mayHaveChangedUnseen(identity, lastReadAt: readAt)
            {
                return .unchanged
            }
        }
        switch FlagsFile.read(path, limit: FlagsParser.maximumBytes) {
        case .missing:
            return state.observe(.missing, error: FlagsError(field: "file", message: "\(path) does not exist"))
        case .failed(let message):
            return state.observe(.failed(message), error: FlagsError(field: "file", message: message))
        case .read(let identity, let bytes, let readAt):
            if case .read(_, let previous, _) = state.observed, previous == bytes {
                // Same bytes under a new identity (touch, or a swap to an identical file): nothing to load.
                state.observed = .read(identity, bytes, at: readAt)
                return .unchanged
            }
            state.observed = .read(identity, bytes, at: readAt)
            do {
                let snapshot = try FlagsParser.parse(
                    bytes, source: path, knownModules: knownModules, version: state.loads + 1)
                state.loads += 1
                return .loaded(snapshot)
            } catch {
                return .failed(error)
            }
        }
    }
}

extension FlagsStore {
    /// A module whose routing `resolve(_:tenant:)` finds by position (`routed(_:)`).
    public struct RoutedModule: Sendable {
        public let name: String
        let slot: Int
    }

    /// Holds one published snapshot at a stable address for `active`, with
    /// the routing of each registered module (`routed(_:)`) by its slot.
    private final class Published: Sendable {
        let snapshot: FlagsSnapshot
        let routed: [Routed]
        init(_ snapshot: FlagsSnapshot, routedModules: [String]) {
            self.snapshot = snapshot
            routed = routedModules.map { Routed(routing: snapshot.modules[$0], serviceURL: snapshot.services[$0]) }
        }
    }

    /// A registered module's part of one snapshot. A class, so reading it
    /// on a call is one reference copied, not its fields.
    private final class Routed: Sendable {
        let routing: ModuleRouting?
        let serviceURL: String?
        init(routing: ModuleRouting?, serviceURL: String?) {
            self.routing = routing
            self.serviceURL = serviceURL
        }
    }

    private struct LoadFailure: Sendable {
        let message: String
        let at: Date
    }

    private enum Outcome {
        case unchanged
        case loaded(FlagsSnapshot)
        /// The file exists but cannot be used. At start this throws.
        case failed(FlagsError)
        /// No file: the defaults at start, the last good snapshot later.
        case missing(FlagsError)

        var snapshot: FlagsSnapshot? {
            if case .loaded(let snapshot) = self { snapshot } else { nil }
        }
    }

    /// What the watcher saw last, so each distinct state of the file is handled once.
    private struct WatchState: Sendable {
        enum Observed: Sendable {
            case nothing
            case missing
            case failed(String)
            /// The bytes are kept (flags.json is small) to compare content
            /// outright rather than by hash: no collision to reason about.
            case read(FlagsFile.Identity, [UInt8], at: FlagsFile.Timestamp)
        }

        var observed = Observed.nothing
        /// Successful loads so far: the next snapshot's version is this plus one.
        var loads = 0
        /// The message last logged, so a file that stays broken warns once.
        var loggedError: String?
        /// Modules registered with `routed(_:)`, by slot.
        var routedModules: [String] = []

        mutating func observe(_ observation: Observed, error: FlagsError) -> Outcome {
            switch (observed, observation) {
            case (.missing, .missing): return .unchanged
            case (.failed(let old), .failed(let new)) where old == new: return .unchanged
            default: break
            }
            observed = observation
            if case .missing = observation { return .missing(error) }
            return .failed(error)
        }
    }
}
