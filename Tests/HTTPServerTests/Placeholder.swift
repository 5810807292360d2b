import Testing

@Test func placeholderHTTPServerTests() { #expect(true) }
