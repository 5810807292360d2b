import Foundation

/// How the `banyan` commands write: a line on stdout at once (a CI log
/// should show each line as it comes), a message on stderr.
enum Terminal {
    static func say(_ line: String) {
        print(line)
        fflush(nil)
    }

    static func complain(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
