import CCrypto

/// Password hashing with scrypt (libcrypto's `EVP_PBE_scrypt`), stored as a
/// PHC-style string that carries its own parameters:
///
///     $scrypt$ln=15,r=8,p=1$<salt, base64>$<key, base64>
///
/// (standard base64 alphabet, unpadded; 16-byte random salt, 32-byte key).
/// `verify` reads the parameters from the string, so hashes made under an
/// older cost keep working after the cost is raised; `needsRehash` says
/// when to replace one at the next successful login.
public struct PasswordHasher: Sendable {
    /// scrypt's work factors: N = 2^logN, block size r, parallelism p.
    public struct Cost: Sendable, Equatable, CustomStringConvertible {
        public let logN: Int
        public let r: Int
        public let p: Int

        /// - Precondition: within `PasswordHasher`'s accepted bounds.
        public init(logN: Int, r: Int, p: Int) {
            precondition(Cost.isAcceptable(logN: logN, r: r, p: p), "scrypt cost out of bounds")
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// N=2^15, r=8, p=1: about 32 MiB and tens of milliseconds per hash,
        /// the OWASP minimum for scrypt.
        public static let standard = Cost(logN: 15, r: 8, p: 1)
        /// N=2^10: cheap enough for test suites. Never in production.
        public static let testing = Cost(logN: 10, r: 8, p: 1)

        public var description: String { "ln=\(logN),r=\(r),p=\(p)" }

        var n: UInt64 { 1 << UInt64(logN) }

        /// What libcrypto must be allowed to allocate: its B and V buffers,
        /// 128·r·p + 128·r·(N+2) bytes, plus slack.
        var memoryLimit: UInt64 { 128 * UInt64(r) * (n + 2 + UInt64(p)) + 4096 }

        /// Bounds for parameters read from stored strings, so a planted hash
        /// cannot make a login allocate gigabytes or spin for minutes.
        static func isAcceptable(logN: Int, r: Int, p: Int) -> Bool {
            guard (1...20).contains(logN), (1...32).contains(r), (1...16).contains(p) else { return false }
            let memory = 128 * r << logN
            let work = r * p << logN
            return memory <= 256 << 20 && work <= 1 << 22
        }
    }

    /// Thrown only when libcrypto itself fails (for example, out of memory).
    public struct HashingFailed: Error, Sendable, CustomStringConvertible {
        public var description: String { "scrypt failed in libcrypto" }
    }

    public static let saltLength = 16
    public static let keyLength = 32

    public let cost: Cost

    public init(cost: Cost = .standard) {
        self.cost = cost
    }

    public func hash(_ password: String) throws -> String {
        let salt = SecureRandom.bytes(PasswordHasher.saltLength)
        guard let key = PasswordHasher.derive(password, salt: salt, cost: cost, length: PasswordHasher.keyLength)
        else { throw HashingFailed() }
        return "$scrypt$\(cost)$\(Base64Codec.standard.encode(salt))$\(Base64Codec.standard.encode(key))"
    }

    /// True when `password` produces the key stored in `encoded`. False,
    /// never a trap, for any malformed or out-of-bounds string.
    public func verify(_ password: String, against encoded: String) -> Bool {
        guard let stored = StoredHash(encoded),
            let key = PasswordHasher.derive(password, salt: stored.salt, cost: stored.cost, length: stored.key.count)
        else { return false }
        return ConstantTime.equals(key, stored.key)
    }

    /// True when `encoded` was made under another cost (or is unreadable)
    /// and should be replaced after the next successful `verify`.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let stored = StoredHash(encoded) else { return true }
        return stored.cost != cost || stored.key.count != PasswordHasher.keyLength
    }

    /// Spends what a `verify` at `cost` spends, for a login naming an
    /// unknown user: otherwise "no such user" answers faster than "wrong
    /// password", and the difference lists who has an account.
    public static func dummyVerify(cost: Cost = .standard) {
        _ = derive("banyan-dummy-password", salt: dummySalt, cost: cost, length: keyLength)
    }

    private static let dummySalt = [UInt8](repeating: 0x5A, count: saltLength)

    private static func derive(_ password: String, salt: [UInt8], cost: Cost, length: Int) -> [UInt8]? {
        var failed = false
        var password = password
        let key = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            let status = password.withUTF8 { pass in
                salt.withUnsafeBufferPointer { saltBuffer in
                    // A null pass pointer means "check parameters only" to
                    // some libcrypto versions; an empty password is real input.
                    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 1) { empty in
                        let passPointer = pass.isEmpty
                            ? UnsafePointer(empty.baseAddress!)
                            : UnsafeRawPointer(pass.baseAddress!).assumingMemoryBound(to: CChar.self)
                        return EVP_PBE_scrypt(
                            passPointer, pass.count, saltBuffer.baseAddress, saltBuffer.count,
                            cost.n, UInt64(cost.r), UInt64(cost.p), cost.memoryLimit,
                            out.baseAddress, length)
                    }
                }
            }
            failed = status != 1
            initialized = failed ? 0 : length
        }
        return failed ? nil : key
    }

    /// A parsed `$scrypt$…` string, strict about its shape: one spelling per
    /// hash, decimal parameters without leading zeros, in the fixed order.
    private struct StoredHash {
        let cost: Cost
        let salt: [UInt8]
        let key: [UInt8]

        init?(_ encoded: String) {
            let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
            let parameters = parts[2].split(separator: ",", omittingEmptySubsequences: false)
            guard parameters.count == 3,
                let logN = StoredHash.number(parameters[0], name: "ln"),
                let r = StoredHash.number(parameters[1], name: "r"),
                let p = StoredHash.number(parameters[2], name: "p"),
                Cost.isAcceptable(logN: logN, r: r, p: p),
                let salt = Base64Codec.standard.decode(String(parts[3])), (1...64).contains(salt.count),
                let key = Base64Codec.standard.decode(String(parts[4])), (16...64).contains(key.count)
            else { return nil }
            self.cost = Cost(logN: logN, r: r, p: p)
            self.salt = salt
            self.key = key
        }

        private static func number(_ text: Substring, name: String) -> Int? {
            guard text.hasPrefix(name + "=") else { return nil }
            let digits = text.dropFirst(name.count + 1)
            guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                digits == "0" || !digits.hasPrefix("0")
            else { return nil }
            return Int(digits)
        }
    }
}
