import Testing

@Test func placeholderHTTPClientTests() { #expect(true) }
