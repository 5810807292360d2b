import Glibc

/// What one thread has accumulated for the module calls measured on it.
/// Read and written by its own thread only, so it needs no lock: handlers
/// are synchronous, and a call begins and ends on the thread that made it.
struct ThreadTally {
    /// Nanoseconds this thread has spent in PostgreSQL round trips, ever:
    /// a call's share is the difference across it.
    var databaseNanos: UInt64 = 0
    /// CPU and database time of the calls measured inside the one running
    /// now (nested module calls), which that one must not count again.
    var nestedCPUNanos: UInt64 = 0
    var nestedDatabaseNanos: UInt64 = 0
    /// Measured calls running on this thread now, the outermost first: 0 between call trees.
    var depth = 0
    /// Whether the call tree running now has its CPU time measured (`CallMeasurement`'s sampling).
    var sampling = false
    /// When the last call tree whose CPU was measured ended (monotonic nanoseconds); 0: never.
    var lastSampleEnded: UInt64 = 0
    /// A xorshift generator's state, for the random part of the sampling.
    var random: UInt64

    init(seed: UInt64) {
        random = seed | 1
    }

    /// The next pseudo-random number: xorshift64, a few instructions.
    @inline(__always)
    mutating func nextRandom() -> UInt64 {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return random
    }

    /// This thread's tally, made on its first use and freed when it exits.
    /// A pthread key rather than a task local: the handlers are synchronous
    /// code on pool threads, and `pthread_getspecific` is a few nanoseconds.
    @inline(__always)
    static func current() -> UnsafeMutablePointer<ThreadTally> {
        if let tally = pthread_getspecific(threadTallyKey) {
            return tally.assumingMemoryBound(to: ThreadTally.self)
        }
        let tally = UnsafeMutablePointer<ThreadTally>.allocate(capacity: 1)
        tally.initialize(to: ThreadTally(seed: UInt64(UInt(bitPattern: tally)) &* 0x9E37_79B9_7F4A_7C15))
        pthread_setspecific(threadTallyKey, tally)
        return tally
    }
}

/// The key of every thread's `ThreadTally`; the destructor frees a thread's tally when it exits.
private let threadTallyKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { tally in tally?.deallocate() }
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
}()
