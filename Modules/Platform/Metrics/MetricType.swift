/// The kind of a metric family, as its `# TYPE` line says it.
public enum MetricType: String, Sendable {
    case counter
    case gauge
    case histogram
}
