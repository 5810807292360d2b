extension String {
    /// Empty or only whitespace: what the `~ '[^[:space:]]'` CHECKs refuse.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
