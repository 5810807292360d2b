import Foundation

/// How the `banyan` commands write: a line on stdout at once (a CI log
/// should show each line as it comes), a message on stderr, and how a
/// command that was called wrongly ends.
///
/// Exit status, the same for every command: 0 done (help asked for
/// included), 1 it failed, 2 it was called wrongly (a usage error).
enum Terminal {
    static func say(_ line: String) {
        print(line)
        fflush(nil)
    }

    static func complain(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// `banyan <command>: <message>` and the command's usage on stderr, exit 2.
    static func usageError(_ command: String, _ message: String, usage: String) -> Never {
        complain("banyan \(command): \(message)\n\(usage)")
        exit(2)
    }
}
