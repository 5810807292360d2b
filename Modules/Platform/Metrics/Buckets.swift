/// Upper bounds of histogram buckets, in seconds.
public enum Buckets {
    /// From 10 µs (an in-process module call) to 10 s (a request's deadline).
    public static let latency: [Double] = [
        0.00001, 0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
}
