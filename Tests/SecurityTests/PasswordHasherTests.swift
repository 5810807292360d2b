import Testing
import Security

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher(cost: .testing)

    /// PHC's base64: standard alphabet, no padding.
    static func phcBase64(_ bytes: [UInt8]) -> String {
        Base64URL.encode(bytes).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    @Test func hashVerifiesItsPassword() throws {
        let encoded = try hasher.hash("correct horse battery staple")
        #expect(hasher.verify("correct horse battery staple", against: encoded))
    }

    @Test func wrongPasswordFails() throws {
        let encoded = try hasher.hash("correct horse battery staple")
        #expect(!hasher.verify("correct horse battery stapler", against: encoded))
        #expect(!hasher.verify("Correct horse battery staple", against: encoded))
        #expect(!hasher.verify("", against: encoded))
    }

    @Test func emptyAndUnicodePasswordsWork() throws {
        let empty = try hasher.hash("")
        #expect(hasher.verify("", against: empty))
        #expect(!hasher.verify(" ", against: empty))
        let unicode = try hasher.hash("pässwörd 🔑")
        #expect(hasher.verify("pässwörd 🔑", against: unicode))
        #expect(!hasher.verify("passwörd 🔑", against: unicode))
    }

    @Test func saltMakesEveryHashDifferent() throws {
        let first = try hasher.hash("same")
        let second = try hasher.hash("same")
        #expect(first != second)
        #expect(first.split(separator: "$")[2] != second.split(separator: "$")[2])
        #expect(hasher.verify("same", against: first) && hasher.verify("same", against: second))
    }

    @Test func encodingIsPHCStyle() throws {
        let encoded = try PasswordHasher().hash("x")
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 5)
        #expect(parts[1] == "scrypt")
        #expect(parts[2] == "ln=15,r=8,p=1")
        #expect(parts[3].count == 22)  // 16 bytes, unpadded
        #expect(parts[4].count == 43)  // 32 bytes, unpadded
        #expect(!parts[3].contains("=") && !parts[4].contains("="))
    }

    @Test func parametersAreHonouredAndReadFromTheString() throws {
        let custom = PasswordHasher(cost: PasswordHasher.Cost(logN: 9, r: 4, p: 2))
        let encoded = try custom.hash("pw")
        #expect(encoded.hasPrefix("$scrypt$ln=9,r=4,p=2$"))
        // Any hasher verifies it: the parameters come from the string, not the verifier.
        #expect(hasher.verify("pw", against: encoded))
        #expect(PasswordHasher().verify("pw", against: encoded))
        // Changing any parameter changes the derived key.
        for altered in ["ln=10,r=4,p=2", "ln=9,r=5,p=2", "ln=9,r=4,p=1"] {
            #expect(!hasher.verify("pw", against: encoded.replacingOccurrences(of: "ln=9,r=4,p=2", with: altered)))
        }
    }

    /// RFC 7914 §12: proves this is scrypt with the stated N, r, p and key length.
    @Test(arguments: [
        ("password", "NaCl", "ln=10,r=8,p=16",
         "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        ("pleaseletmein", "SodiumChloride", "ln=14,r=8,p=1",
         "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
    ])
    func matchesRFC7914Vectors(password: String, salt: String, parameters: String, key: String) {
        let encoded = "$scrypt$\(parameters)$\(Self.phcBase64(Array(salt.utf8)))$\(Self.phcBase64(Self.bytes(hex: key)))"
        #expect(hasher.verify(password, against: encoded))
        #expect(!hasher.verify(password + "!", against: encoded))
    }

    @Test func needsRehashWhenTheCostDiffers() throws {
        let cheap = try hasher.hash("pw")
        #expect(!hasher.needsRehash(cheap))
        #expect(PasswordHasher().needsRehash(cheap))
        #expect(hasher.needsRehash("garbage"))
    }

    @Test func malformedStringsAreFalseNeverACrash() throws {
        let good = try hasher.hash("pw")
        let parts = good.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        let salt = parts[3], key = parts[4]
        let malformed = [
            "", "$", "$$$$", "scrypt", "$scrypt$", "$scrypt$$$", "$scrypt$ln=10,r=8,p=1$",
            "$scrypt$ln=10,r=8,p=1$\(salt)", "$scrypt$ln=10,r=8,p=1$\(salt)$", "$scrypt$ln=10,r=8,p=1$$\(key)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(key)$", "scrypt$ln=10,r=8,p=1$\(salt)$\(key)",
            "$argon2id$ln=10,r=8,p=1$\(salt)$\(key)", "$SCRYPT$ln=10,r=8,p=1$\(salt)$\(key)",
            "$scrypt$ln=0,r=8,p=1$\(salt)$\(key)", "$scrypt$ln=99,r=8,p=1$\(salt)$\(key)",
            "$scrypt$ln=64,r=8,p=1$\(salt)$\(key)", "$scrypt$ln=-1,r=8,p=1$\(salt)$\(key)",
            "$scrypt$ln=010,r=8,p=1$\(salt)$\(key)", "$scrypt$ln=99999999999999999999,r=8,p=1$\(salt)$\(key)",
            "$scrypt$ln=１０,r=8,p=1$\(salt)$\(key)", "$scrypt$ln= 10,r=8,p=1$\(salt)$\(key)",
            "$scrypt$ln=10,r=0,p=1$\(salt)$\(key)", "$scrypt$ln=10,r=8,p=0$\(salt)$\(key)",
            "$scrypt$ln=20,r=32,p=16$\(salt)$\(key)", "$scrypt$ln=10,r=8,p=1000$\(salt)$\(key)",
            "$scrypt$r=8,ln=10,p=1$\(salt)$\(key)", "$scrypt$ln=10,r=8$\(salt)$\(key)",
            "$scrypt$ln=10,r=8,p=1,x=1$\(salt)$\(key)", "$scrypt$ln=10;r=8;p=1$\(salt)$\(key)",
            "$scrypt$ln=,r=8,p=1$\(salt)$\(key)", "$scrypt$ln=10,r=8,p=1$\(salt)==$\(key)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(key)=", "$scrypt$ln=10,r=8,p=1$\(salt)$\(key.prefix(8))", "$scrypt$ln=10,r=8,p=1$\(salt)$\(key)\(key)\(key)",
            "$scrypt$ln=10,r=8,p=1$!!!!$\(key)", "$scrypt$ln=10,r=8,p=1$\(salt)$ \(key)",
            "$scrypt$ln=10,r=8,p=1$\(salt.replacingOccurrences(of: "+", with: "-"))x$\(key)",
            good + "\n", " " + good,
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(key.first == "A" ? "B" : "A")\(key.dropFirst())",
        ]
        for encoded in malformed {
            #expect(!hasher.verify("pw", against: encoded), "\(encoded)")
        }
        #expect(hasher.verify("pw", against: good))
    }

    @Test func dummyVerifySpendsTheTimeOfARealVerify() throws {
        let standard = PasswordHasher()
        let encoded = try standard.hash("pw")
        func fastest(_ body: () -> Void) -> UInt64 {
            (0..<3).map { _ in
                let start = ContinuousClock.now
                body()
                let elapsed = ContinuousClock.now - start
                return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
            }.min()!
        }
        let real = fastest { _ = standard.verify("wrong", against: encoded) }
        let dummy = fastest { PasswordHasher.dummyVerify() }
        // Loose on purpose (shared CI cores): the point is scrypt-scale work, not a no-op.
        #expect(dummy * 3 >= real, "dummy \(dummy) ns vs verify \(real) ns")
        #expect(real * 3 >= dummy, "dummy \(dummy) ns vs verify \(real) ns")
    }
}
