/// Amounts as a person reads them in a reply: "8.50 USD", "1200 JPY".
package enum MoneyText {
    /// ISO 4217 currencies whose minor unit is not the cent.
    private static let noDecimals: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    private static let threeDecimals: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    package static func format(cents: Int64, currency: String) -> String {
        let decimals = noDecimals.contains(currency) ? 0 : threeDecimals.contains(currency) ? 3 : 2
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        guard decimals > 0 else { return "\(sign)\(magnitude) \(currency)" }
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let fraction = String(magnitude % divisor)
        let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
        return "\(sign)\(magnitude / divisor).\(padded) \(currency)"
    }
}
