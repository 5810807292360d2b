import Foundation
import Platform

/// What every executable does first, and how it gives up at start.
public enum Startup {
    /// Call first thing in `main`. A write to a pipe or socket whose reader
    /// has gone (stdout piped into a `head` that exited, a peer that closed)
    /// raises SIGPIPE, whose default action ends the process: a log line must
    /// never kill a gateway serving other tenants. Ignored, the write fails
    /// with EPIPE instead, which every writer here already handles.
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// One log line, one line on stderr, exit 1.
    public static func fail(_ message: String) -> Never {
        Log.shared.error(message)
        Log.shared.flush()
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
