import Testing

@Test func placeholderContractTests() { #expect(true) }
