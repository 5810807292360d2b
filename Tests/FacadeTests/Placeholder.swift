import Testing

@Test func placeholderFacadeTests() { #expect(true) }
