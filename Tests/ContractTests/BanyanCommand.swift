import BanyanTestSupport
import Foundation
import Testing

/// The built `banyan` executable run to completion, as CI runs it.
typealias BanyanCommand = ChildProcess.Completed

extension BanyanCommand {
    /// Runs `banyan arguments…` with `environment` added to this process's
    /// (minus the settings that would point it elsewhere; a nil value
    /// removes one), in `home`, which is also its `BANYAN_HOME` unless
    /// `environment` says otherwise.
    static func run(_ arguments: [String], environment extra: [String: String?], home: String) throws -> BanyanCommand {
        var environment: [String: String?] = ["BANYAN_SERVICE_SECRET": nil, "BANYAN_HOME": home]
        for (key, value) in extra { environment[key] = value }
        return try ChildProcess.run(
            ChildProcess.product("banyan"), arguments, environment: environment, directory: home, within: 300)
    }

    var output: Comment { Comment(rawValue: "stdout:\n\(stdout)\nstderr:\n\(stderr)") }
}
