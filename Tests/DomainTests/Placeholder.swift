import Testing

@Test func placeholderDomainTests() { #expect(true) }
