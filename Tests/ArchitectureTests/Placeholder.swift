import Testing

@Test func placeholderArchitectureTests() { #expect(true) }
