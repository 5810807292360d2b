import Metrics
import Synchronization
import Testing

@Suite struct CachedReadingTests {
    @Test func readsAtMostOncePerAgeAndKeepsTheLastGoodValue() {
        let reads = Atomic<Int>(0)
        let fail = Atomic<Bool>(false)
        let cached = CachedReading(maximumAge: 3600) { () throws -> Int in
            if fail.load(ordering: .relaxed) { throw CachedReadingTests.Refused() }
            return reads.wrappingAdd(1, ordering: .relaxed).newValue
        }
        #expect(cached.value == 1)
        #expect(cached.value == 1)
        #expect(reads.load(ordering: .relaxed) == 1)

        let always = CachedReading(maximumAge: 0) { () throws -> Int in
            if fail.load(ordering: .relaxed) { throw CachedReadingTests.Refused() }
            return reads.wrappingAdd(1, ordering: .relaxed).newValue
        }
        #expect(always.value == 2)
        #expect(always.value == 3)
        fail.store(true, ordering: .relaxed)
        #expect(always.value == 3)
    }

    struct Refused: Error {}
}
