/// One module's signals as `GET /admin/modules` shows them: the last minute,
/// the last hour, and a line saying why it stands where it does in the list.
public struct ModuleReading: Sendable, Equatable {
    public let module: String
    public let minute: WindowReading
    public let hour: WindowReading
    /// One line: what stands out about this module (see `ModuleSignals.readings()`).
    public internal(set) var why: String = ""

    public init(module: String, minute: WindowReading, hour: WindowReading) {
        self.module = module
        self.minute = minute
        self.hour = hour
    }

    /// The window that speaks for the module now: the last minute, unless it was idle in it.
    var recent: WindowReading { minute.totals.calls > 0 ? minute : hour }
}
