import Foundation

/// Named places where a test can make the process die on purpose, to prove
/// that what a crash leaves behind is finished or undone on the next start.
///
/// Armed only by `BANYAN_FAILPOINTS=name[,name…]` in the environment; a
/// process started without it never stops at one. Hitting an armed
/// failpoint ends the process at once with status 137, as `kill -9` would:
/// no cleanup, no flush, no reply.
public enum Failpoint {
    private static let armed: Set<String> = {
        guard let raw = ProcessInfo.processInfo.environment["BANYAN_FAILPOINTS"] else { return [] }
        return Set(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }()

    public static func hit(_ name: String) {
        guard !armed.isEmpty, armed.contains(name) else { return }
        _exit(137)
    }
}
