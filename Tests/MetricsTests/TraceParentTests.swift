import HTTPServer
import Testing

@Suite struct TraceParentTests {
    @Test func aValidHeaderIsParsed() throws {
        let trace = try #require(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.parentID == "00f067aa0ba902b7")
        #expect(trace.flags == "01")
        #expect(trace.description == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    }

    @Test(arguments: [
        "",
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has no more fields
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // the forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",  // dashes misplaced
        "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",  // not hex
    ])
    func malformedHeadersAreRefused(_ header: String) {
        #expect(TraceParent(header) == nil)
    }

    @Test func aLaterVersionMayCarryMoreFields() {
        #expect(TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more")?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func aNewTraceIsSampledAndParsesBack() throws {
        let trace = TraceParent(traceID: 0x0001_0203_0405_0607, 0x0809_0a0b_0c0d_0e0f, spanID: 0x1011_1213_1415_1617)
        #expect(trace.traceID == "000102030405060708090a0b0c0d0e0f")
        #expect(trace.parentID == "1011121314151617")
        #expect(trace.flags == "01")
        #expect(trace.description == "00-000102030405060708090a0b0c0d0e0f-1011121314151617-01")
        #expect(TraceParent(trace.description) == trace)
        #expect(TraceParent(traceID: .max, .max, spanID: 0xABCD).description == "00-ffffffffffffffffffffffffffffffff-000000000000abcd-01")
        // Zero words would make the one invalid id: never sent.
        #expect(TraceParent(TraceParent(traceID: 0, 0, spanID: 0).description) != nil)
    }

    @Test func aLaterVersionIsPassedOnAsVersion00WithoutItsExtraFields() throws {
        let trace = try #require(TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more"))
        #expect(trace.description == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(trace.parentID == "00f067aa0ba902b7")
    }
}
