import Flags
import FlagsControl

/// `banyan flags …`'s arguments: which command, and its options, checked
/// before anything is asked of the gateway. Every mistake is a usage error
/// (exit 2) naming what is wrong.
struct FlagsCommandLine: Equatable {
    enum Command: Equatable {
        case status
        case preview(file: String)
        /// `set`, `unset`, `rollout`, `default`: one edit of the file in force.
        case edit(FlagsEdit)
        case history(module: String?, tenant: String?, limit: Int)
        case revert(version: String)
        /// `GET /admin/shadow`, narrowed to a module or tenant.
        case shadowReport(module: String?, tenant: String?)
    }

    var command: Command
    var gateway: String?
    var json = false
    var reason: String?
    var by: String?
    var dryRun = false
    /// Overrides a gate refusal, with why.
    var force: String?
    /// Seconds to wait for every running gateway to apply the change; 0: do not wait.
    var wait = 10.0

    struct UsageError: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Options that take a value, and the switches, per command.
    private static let changing: Set<String> = ["--reason", "--by", "--force", "--wait", "--gateway"]
    private static let valued: [String: Set<String>] = [
        "status": ["--gateway"],
        "preview": ["--gateway"],
        "set": changing.union(["--tenant", "--home"]),
        "unset": changing.union(["--tenant"]),
        "rollout": changing.union(["--home", "--percent"]),
        "default": changing.union(["--home"]),
        "history": ["--gateway", "--module", "--tenant", "--limit"],
        "revert": changing,
        "fallback": changing,
        "shadow-report": ["--gateway", "--module", "--tenant"],
    ]
    private static let switches: [String: Set<String>] = [
        "status": ["--json"], "preview": ["--json"], "history": ["--json"],
        "set": ["--dry-run"], "unset": ["--dry-run"], "rollout": ["--dry-run", "--remove"], "default": ["--dry-run"],
        "revert": ["--dry-run"], "fallback": ["--dry-run"], "shadow-report": ["--json"],
    ]

    static var commands: [String] { valued.keys.sorted() }

    static func parse(_ arguments: [String]) -> Result<FlagsCommandLine, UsageError> {
        guard let verb = arguments.first else { return .failure(UsageError("name a command: \(commands.joined(separator: ", "))")) }
        guard let allowed = valued[verb] else {
            return .failure(UsageError("no command \(verb); there are \(commands.joined(separator: ", "))"))
        }
        var options: [String: String] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            if argument.hasPrefix("--") {
                let (name, inline) = split(argument)
                if allowed.contains(name) {
                    guard let value = inline ?? rest.popFirst(), inline != nil || !value.hasPrefix("--") else {
                        return .failure(UsageError("\(name) needs a value"))
                    }
                    guard options.updateValue(value, forKey: name) == nil else {
                        return .failure(UsageError("\(name) given twice"))
                    }
                } else if switches[verb, default: []].contains(name), inline == nil {
                    flags.insert(name)
                } else {
                    return .failure(UsageError("\(verb) takes no option \(name)"))
                }
            } else {
                positionals.append(argument)
            }
        }
        return build(verb, positionals: positionals, options: options, flags: flags)
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func build(
        _ verb: String, positionals: [String], options: [String: String], flags: Set<String>
    ) -> Result<FlagsCommandLine, UsageError> {
        func one(_ what: String) -> Result<String, UsageError> {
            guard positionals.count == 1, let value = positionals.first, !value.isEmpty else {
                return .failure(UsageError("\(verb) takes one \(what)\(positionals.count > 1 ? ", not \(positionals.count)" : "")"))
            }
            return .success(value)
        }
        func home(_ allowed: [ModuleRoute] = ModuleRoute.allCases) -> Result<ModuleRoute, UsageError> {
            guard let text = options["--home"] else {
                return .failure(UsageError("\(verb) needs --home \(allowed.map(\.rawValue).joined(separator: "|"))"))
            }
            guard let route = ModuleRoute(rawValue: text), allowed.contains(route) else {
                return .failure(UsageError("--home must be \(allowed.map(\.rawValue).joined(separator: " or ")), not \(text)"))
            }
            return .success(route)
        }
        func tenant() -> Result<String, UsageError> {
            guard let tenant = options["--tenant"], !tenant.isEmpty else { return .failure(UsageError("\(verb) needs --tenant")) }
            return .success(tenant)
        }
        let command: Command
        do throws(UsageError) {
            switch verb {
            case "status":
                guard positionals.isEmpty else { return .failure(UsageError("status takes no arguments")) }
                command = .status
            case "preview":
                command = .preview(file: try one("FILE").get())
            case "set":
                command = .edit(.setTenant(module: try one("MODULE").get(), tenant: try tenant().get(), home: try home().get()))
            case "unset":
                command = .edit(.removeTenant(module: try one("MODULE").get(), tenant: try tenant().get()))
            case "rollout":
                let module = try one("MODULE").get()
                if flags.contains("--remove") {
                    guard options["--percent"] == nil, options["--home"] == nil else {
                        return .failure(UsageError("rollout --remove takes neither --percent nor --home"))
                    }
                    command = .edit(.removeRollout(module: module))
                } else {
                    guard let text = options["--percent"], let percent = Int(text), FlagsParser.rolloutPercentages.contains(percent)
                    else { return .failure(UsageError("rollout needs --percent, an integer from 0 to 100 (or --remove)")) }
                    command = .edit(.setRollout(module: module, home: try home().get(), percent: percent))
                }
            case "default":
                command = .edit(.setDefault(module: try one("MODULE").get(), home: try home().get()))
            case "fallback":
                guard positionals.count == 2, let module = positionals.first, let to = positionals.last,
                    to == ModuleRoute.inProcess.rawValue || to == "none"
                else { return .failure(UsageError("fallback takes MODULE and in-process or none")) }
                command = .edit(.setFallback(module: module, fallback: to == "none" ? nil : .inProcess))
            case "history":
                guard positionals.isEmpty else { return .failure(UsageError("history takes no arguments")) }
                let limit = options["--limit"].map { Int($0) } ?? 20
                guard let limit, (1...1000).contains(limit) else {
                    return .failure(UsageError("--limit must be an integer from 1 to 1000"))
                }
                command = .history(module: options["--module"], tenant: options["--tenant"], limit: limit)
            case "shadow-report":
                guard positionals.isEmpty else { return .failure(UsageError("shadow-report takes no arguments")) }
                command = .shadowReport(module: options["--module"], tenant: options["--tenant"])
            default:  // revert
                let version = try one("VERSION").get()
                let digits = version.hasPrefix(FlagsVersion.prefix) ? String(version.dropFirst(FlagsVersion.prefix.count)) : version
                guard (8...64).contains(digits.count), digits.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                    return .failure(UsageError("VERSION must be a flags version or its prefix: sha256: and 8 to 64 hex digits"))
                }
                command = .revert(version: FlagsVersion.prefix + digits)
            }
        } catch {
            return .failure(error)
        }
        var line = FlagsCommandLine(command: command, gateway: options["--gateway"], json: flags.contains("--json"))
        line.dryRun = flags.contains("--dry-run")
        line.by = options["--by"]
        line.force = options["--force"]
        if let wait = options["--wait"] {
            guard let seconds = Double(wait), seconds >= 0, seconds <= 3600 else {
                return .failure(UsageError("--wait must be seconds from 0 to 3600"))
            }
            line.wait = seconds
        }
        switch command {
        case .edit, .revert: break
        case .status, .preview, .history, .shadowReport: return .success(line)
        }
        guard let reason = options["--reason"], reason.contains(where: { !$0.isWhitespace }) else {
            return .failure(UsageError("\(verb) needs --reason: say why, for the audit trail"))
        }
        line.reason = reason
        if let force = line.force, !force.contains(where: { !$0.isWhitespace }) {
            return .failure(UsageError("--force needs a reason"))
        }
        return .success(line)
    }
}
