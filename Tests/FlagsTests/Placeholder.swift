import Testing

@Test func placeholderFlagsTests() { #expect(true) }
