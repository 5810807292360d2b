import Dispatch
import Metrics
import Testing

@Suite struct RegistryTests {
    @Test func countersOnlyGoUpAndASeriesIsResolvedOnce() {
        let registry = MetricsRegistry()
        let family = registry.counter("banyan_test_things_total", help: "Things", labels: ["kind"])
        let big = family.labels("big")
        big.increment()
        big.increment(by: 4)
        #expect(big.current == 5)
        // The same label values give the same series; another declaration of the family gives the same family.
        #expect(family.labels("big") === big)
        #expect(registry.counter("banyan_test_things_total", help: "Things", labels: ["kind"]).labels("big") === big)
        #expect(family.labels("small") !== big)
        #expect(family.labels("small").current == 0)
    }

    @Test func concurrentIncrementsFromManyThreadsSumExactly() {
        let registry = MetricsRegistry()
        let counter = registry.counter("banyan_test_concurrent_total", help: "Concurrent").labels()
        let histogram = registry.histogram("banyan_test_concurrent_seconds", help: "Concurrent", buckets: [0.5]).labels()
        let gauge = registry.gauge("banyan_test_concurrent_level", help: "Concurrent").labels()
        let threads = 16, each = 20_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<each {
                counter.increment()
                histogram.observe(index.isMultiple(of: 2) ? 0.25 : 1)
                gauge.add(thread.isMultiple(of: 2) ? 1 : -1)
            }
        }
        #expect(counter.current == UInt64(threads * each))
        let reading = histogram.read()
        #expect(reading.count == UInt64(threads * each))
        #expect(reading.cumulative == [UInt64(threads * each / 2), UInt64(threads * each)])
        #expect(reading.sum == Double(threads * each / 2) * 0.25 + Double(threads * each / 2))
        // As many +1 threads as -1 threads: every compare-and-swap must have landed.
        #expect(gauge.current == 0)
    }

    @Test func histogramBucketsAreCumulativeWithInfinityLast() {
        let registry = MetricsRegistry()
        let histogram = registry.histogram(
            "banyan_test_duration_seconds", help: "Durations", labels: ["route"], buckets: [0.1, 1, 10])
        let series = histogram.labels("/x")
        for value in [0.05, 0.1, 0.5, 2, 20, 30] { series.observe(value) }

        let samples = try! #require(registry.collect().first { $0.name == "banyan_test_duration_seconds" }).samples
        let buckets = samples.filter { $0.name == "banyan_test_duration_seconds_bucket" }
        // A bound is inclusive (0.1 falls in le="0.1"), and every bucket counts everything below it too.
        #expect(buckets.map { $0.labels.last?.value } == ["0.1", "1", "10", "+Inf"])
        #expect(buckets.map(\.value) == [2, 3, 4, 6])
        #expect(buckets.allSatisfy { $0.labels.first?.name == "route" && $0.labels.first?.value == "/x" })
        #expect(samples.first { $0.name == "banyan_test_duration_seconds_count" }?.value == 6)
        #expect(samples.first { $0.name == "banyan_test_duration_seconds_sum" }?.value == 52.65)
    }

    @Test func collectorsRunAtScrapeTimeUntilCancelled() {
        let registry = MetricsRegistry()
        let level = Level()
        let registration = registry.collect {
            [CollectedFamily(name: "banyan_test_level", help: "Level", type: .gauge, label: "module", values: [("orders", level.value)])]
        }
        level.value = 3
        #expect(registry.collect().first { $0.name == "banyan_test_level" }?.samples.first?.value == 3)
        level.value = 7
        #expect(registry.collect().first { $0.name == "banyan_test_level" }?.samples.first?.value == 7)
        registration.cancel()
        #expect(registry.collect().contains { $0.name == "banyan_test_level" } == false)
    }

    final class Level: @unchecked Sendable {
        var value: Double = 0
    }
}
