import Testing

@Test func placeholderSecurityTests() { #expect(true) }
