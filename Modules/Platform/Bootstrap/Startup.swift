import Foundation
import Platform

/// How an executable gives up at start: one log line, one line on stderr, exit 1.
public enum Startup {
    public static func fail(_ message: String) -> Never {
        Log.shared.error(message)
        Log.shared.flush()
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
