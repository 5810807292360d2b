import Foundation

/// timestamptz in PostgreSQL's ISO text format, to microseconds.
///
/// Connections run with `TimeZone = 'UTC'` and `DateStyle = 'ISO'`, so the
/// server writes `2024-05-06 07:08:09.123456+00`; offsets such as `+05:30`
/// and a trailing ` BC` are still read, in case a session changed them.
/// Calendar arithmetic is done here (proleptic Gregorian, as PostgreSQL does)
/// rather than through `DateFormatter`, which is slow and locale-sensitive.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        // Year 0 is 1 BC in PostgreSQL's spelling.
        let era = year <= 0 ? " BC" : ""
        let shownYear = year <= 0 ? 1 - year : year
        return "\(pad(shownYear, 4))-\(pad(month, 2))-\(pad(day, 2)) "
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + ".\(pad(fraction, 6))+00\(era)"
    }

    /// nil when the text is not a timestamp this reader understands
    /// (including `infinity`, which has no `Date`).
    static func parse(_ text: String) -> Date? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let rawYear = reader.number(minDigits: 1, maxDigits: 9), reader.skip("-"),
            let month = reader.number(minDigits: 2, maxDigits: 2), reader.skip("-"),
            let day = reader.number(minDigits: 2, maxDigits: 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offsetSeconds: Int64 = 0
        if reader.skip(" ") || reader.skip("T") {
            guard let hour = reader.number(minDigits: 2, maxDigits: 2), reader.skip(":"),
                let minute = reader.number(minDigits: 2, maxDigits: 2), reader.skip(":"),
                let second = reader.number(minDigits: 2, maxDigits: 2),
                hour <= 24, minute < 60, second < 61
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if reader.skip(".") {
                let start = reader.position
                guard let digits = reader.number(minDigits: 1, maxDigits: 6) else { return nil }
                var scaled = digits
                for _ in (reader.position - start)..<6 { scaled *= 10 }
                micros = scaled
            }
            if let sign = reader.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                reader.position += 1
                guard let hours = reader.number(minDigits: 2, maxDigits: 2) else { return nil }
                var offset = hours * 3600
                if reader.skip(":") {
                    guard let minutes = reader.number(minDigits: 2, maxDigits: 2) else { return nil }
                    offset += minutes * 60
                    if reader.skip(":") {
                        guard let seconds = reader.number(minDigits: 2, maxDigits: 2) else { return nil }
                        offset += seconds
                    }
                }
                offsetSeconds = sign == UInt8(ascii: "+") ? offset : -offset
            } else if reader.skip("Z") {
                offsetSeconds = 0
            }
        }
        var year = rawYear
        if reader.skip(" BC") { year = 1 - rawYear }
        guard reader.atEnd else { return nil }
        let days = days(fromCivil: year, month, day)
        let seconds = days * 86_400 + secondOfDay - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position == bytes.count }

        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skip(_ literal: String) -> Bool {
            let expected = Array(literal.utf8)
            guard bytes.count - position >= expected.count,
                Array(bytes[position..<position + expected.count]) == expected
            else { return false }
            position += expected.count
            return true
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while count < maxDigits, let byte = peek(), byte >= 0x30, byte <= 0x39 {
                value = value * 10 + Int64(byte - 0x30)
                position += 1
                count += 1
            }
            return count >= minDigits ? value : nil
        }
    }
}
