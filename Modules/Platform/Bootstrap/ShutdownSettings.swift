import HTTPServer
import Platform

/// How a stopping gateway or service leaves its load balancer, the same for
/// every listener of every process.
public enum ShutdownSettings {
    /// `BANYAN_SHUTDOWN_DELAY_MS` (0): the lame duck before the listener
    /// closes (`HTTPServerConfiguration.lameDuckPeriod`). Behind a load
    /// balancer that reuses keep-alive connections (nginx), a few seconds
    /// let each connection end after a response instead of under a request.
    public static func apply(to configuration: inout HTTPServerConfiguration) {
        configuration.lameDuckPeriod = Double(max(0, Configuration.int("BANYAN_SHUTDOWN_DELAY_MS", default: 0))) / 1000
    }
}
