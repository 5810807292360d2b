import Testing

@Test func placeholderPostgresTests() { #expect(true) }
