import Testing

@Test func placeholderEventsTests() { #expect(true) }
