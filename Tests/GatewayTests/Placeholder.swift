import Testing

@Test func placeholderGatewayTests() { #expect(true) }
