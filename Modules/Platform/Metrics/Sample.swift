/// One line of the exposition: a series' full name (a histogram's
/// `_bucket`, `_sum`, `_count` included), its labels in order, its value.
public struct Sample: Sendable {
    public var name: String
    public var labels: [Label]
    public var value: Double

    public struct Label: Sendable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(name: String, labels: [Label] = [], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}
