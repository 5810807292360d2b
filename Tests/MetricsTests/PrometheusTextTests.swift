import Metrics
import Testing

@Suite struct PrometheusTextTests {
    @Test func labelValuesEscapeBackslashQuoteAndNewline() {
        #expect(PrometheusText.escapeLabelValue(#"a\b"#) == #"a\\b"#)
        #expect(PrometheusText.escapeLabelValue(#"say "hi""#) == #"say \"hi\""#)
        #expect(PrometheusText.escapeLabelValue("two\nlines") == #"two\nlines"#)
        #expect(PrometheusText.escapeLabelValue("plain/{id}") == "plain/{id}")
    }

    @Test func familiesHaveHelpAndTypeOnceAndSamplesWithEscapedLabels() {
        let registry = MetricsRegistry()
        let requests = registry.counter("banyan_test_requests_total", help: "Requests, by \\ path\nand more", labels: ["path"])
        requests.labels("/a\"b").increment(by: 2)
        requests.labels("/c").increment()
        let text = PrometheusText.render(registry.collect())
        #expect(
            text == """
                # HELP banyan_test_requests_total Requests, by \\\\ path\\nand more
                # TYPE banyan_test_requests_total counter
                banyan_test_requests_total{path="/a\\"b"} 2
                banyan_test_requests_total{path="/c"} 1

                """)
    }

    @Test func aFamilyReportedBySeveralSourcesIsWrittenOnce() {
        let one = CollectedFamily(name: "banyan_test_open", help: "Open", type: .gauge, label: "module", values: [("a", 1)])
        let two = CollectedFamily(name: "banyan_test_open", help: "Open", type: .gauge, label: "module", values: [("b", 2.5)])
        let text = PrometheusText.render([one, two])
        #expect(text.components(separatedBy: "# TYPE banyan_test_open gauge").count == 2)
        #expect(text.contains("banyan_test_open{module=\"a\"} 1\nbanyan_test_open{module=\"b\"} 2.5\n"))
    }

    @Test func aHistogramIsWrittenAsBucketsSumAndCount() {
        let registry = MetricsRegistry()
        registry.histogram("banyan_test_seconds", help: "Seconds", buckets: [0.005, 1]).labels().observe(0.5)
        let text = PrometheusText.render(registry.collect())
        #expect(
            text == """
                # HELP banyan_test_seconds Seconds
                # TYPE banyan_test_seconds histogram
                banyan_test_seconds_bucket{le="0.005"} 0
                banyan_test_seconds_bucket{le="1"} 1
                banyan_test_seconds_bucket{le="+Inf"} 1
                banyan_test_seconds_sum 0.5
                banyan_test_seconds_count 1

                """)
    }
}
