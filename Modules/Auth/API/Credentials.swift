/// Rules for the credentials a user is created with, checked before any
/// hashing or storage so bad input fails fast with the field named.
public enum Credentials {
    public static let usernameLength = 3...64
    /// Upper bound keeps a hostile client from making scrypt hash megabytes.
    public static let passwordLength = 8...128
    public static let emailLength = 3...254

    public static func validate(username: String, email: String, password: String) throws(AuthError) {
        guard usernameLength.contains(username.count),
            username.unicodeScalars.allSatisfy({
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0)
            })
        else {
            throw .invalidInput(
                field: "username", reason: "3 to 64 characters: letters, digits, '.', '_' or '-'")
        }
        let at = email.firstIndex(of: "@")
        guard emailLength.contains(email.count), let at, at != email.startIndex, email.index(after: at) != email.endIndex,
            !email.contains(where: { $0.isWhitespace || $0.isNewline })
        else {
            throw .invalidInput(field: "email", reason: "must be an e-mail address")
        }
        guard passwordLength.contains(password.count) else {
            throw .invalidInput(field: "password", reason: "8 to 128 characters")
        }
    }
}
