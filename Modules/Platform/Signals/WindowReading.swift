/// One module's calls over one window, with the window's length as far as
/// this process has lived through it: an hour-old gateway's hour is an hour,
/// a five-minute-old one's is five minutes, so per-minute rates stay honest
/// after a restart. Never less than a minute.
public struct WindowReading: Sendable, Equatable {
    public let totals: SignalTotals
    /// Minutes the rates are over.
    public let minutes: Double

    public init(totals: SignalTotals, minutes: Double) {
        self.totals = totals
        self.minutes = max(minutes, 1)
    }

    public var callsPerMinute: Double { Double(totals.calls) / minutes }
    /// CPU milliseconds the module's own handlers used per minute: what it costs this process.
    public var cpuMillisecondsPerMinute: Double { totals.cpuMilliseconds / minutes }
}
