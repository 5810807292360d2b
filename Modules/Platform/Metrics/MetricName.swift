/// Prometheus' rules for names: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`,
/// label names `[a-zA-Z_][a-zA-Z0-9_]*` and never starting with `__`.
enum MetricName {
    static func isValid(_ name: String) -> Bool {
        valid(name, allowColon: true)
    }

    static func isValidLabel(_ name: String) -> Bool {
        !name.hasPrefix("__") && valid(name, allowColon: false)
    }

    private static func valid(_ name: String, allowColon: Bool) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x5F || (allowColon && byte == 0x3A)
        }
    }
}
