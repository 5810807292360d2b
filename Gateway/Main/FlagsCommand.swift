import Flags
import FlagsControl
import Foundation
import Gateway
import Platform

/// `banyan flags …`: moves tenants between homes through the gateway's
/// admin API, so a change from the CLI and one from a tool are the same
/// change — validated, previewed, gated, written atomically only over the
/// version read, audited, applied (`FlagsChanges` in the gateway does it
/// all; this is its client). Exit 0 on success, 1 on a refusal or failure
/// (one line on stderr saying why), 2 on a usage error.
enum FlagsCommand {
    static let usage = """
        usage: banyan flags status [--json]
               banyan flags preview FILE [--json]
               banyan flags set MODULE --tenant T --home service|in-process|shadow --reason TEXT [CHANGE OPTIONS]
               banyan flags unset MODULE --tenant T --reason TEXT [CHANGE OPTIONS]
               banyan flags rollout MODULE --home service|in-process|shadow --percent N --reason TEXT [CHANGE OPTIONS]
               banyan flags rollout MODULE --remove --reason TEXT [CHANGE OPTIONS]
               banyan flags default MODULE --home service|in-process|shadow --reason TEXT [CHANGE OPTIONS]
               banyan flags fallback MODULE in-process|none --reason TEXT [CHANGE OPTIONS]
               banyan flags history [--module M] [--tenant T] [--limit N] [--json]
               banyan flags revert VERSION --reason TEXT [CHANGE OPTIONS]
               banyan flags shadow-report [--module M] [--tenant T] [--json]

          status    every tenant's home per module (explicit entry, rollout cohort, default),
                    each service's readiness and contract, the file's version and whether
                    every running gateway applied it
          preview   which tenants would change home if FILE replaced flags.json, and what
                    the gate would refuse; exit 0 when FILE is valid
          set       pin a tenant's home for a module (unset takes the pin off)
          rollout   home N% of the module's other tenants (a stable hash of module and
                    tenant: raising N only adds tenants) away from the default
          default   the home of every tenant neither pinned nor in the cohort
          fallback  whether a call that never reached the module's service runs in-process
                    instead (in-process) or answers 503 (none)
          (shadow: served in-process while read-only calls also go to the service,
          off the request path, and the answers are compared: shadow-report)
          history   recorded changes, newest first: who, when, why, what moved
          revert    put back the file as it was at VERSION (a prefix will do)
          shadow-report
                    what the shadow homes' comparisons found per module, operation and
                    tenant, and the last diffs with both values (docs/shadow.md)

        Change options:
          --by NAME        who, for the audit trail (default: the OS user)
          --dry-run        print the preview and the gate's verdict; write nothing
          --force REASON   write even though the gate refuses, saying why (audited)
          --wait SECONDS   wait until every running gateway applied it (default 10; 0: do not)
        Every command: --gateway URL (default BANYAN_GATEWAY_URL, else
        http://127.0.0.1:$BANYAN_PORT, port 8000), with the ops token from BANYAN_OPS_TOKEN,
        else $BANYAN_HOME/ops-token (BANYAN_HOME defaults to ./.banyan).
        """

    static func run(_ arguments: [String]) -> Never {
        if arguments.isEmpty || arguments == ["help"] {  // -h and --help: `Subcommand`
            print(usage)
            exit(0)
        }
        let line: FlagsCommandLine
        switch FlagsCommandLine.parse(arguments) {
        case .success(let parsed): line = parsed
        case .failure(let error):
            complain("\(error.message) (banyan flags --help)")
            exit(2)
        }
        do throws(AdminClient.Failure) {
            let client = try AdminClient.connect(gateway: line.gateway)
            switch line.command {
            case .status:
                try status(client, json: line.json)
            case .preview(let file):
                try preview(client, file: file, json: line.json)
            case .history(let module, let tenant, let limit):
                try history(client, module: module, tenant: tenant, limit: limit, json: line.json)
            case .edit(let edit):
                let (current, version) = try inForce(client)
                let document: FlagsDocument
                do {
                    document = try current.applying(edit, knownModules: Gateway.routedModules)
                } catch {
                    throw refusal("\(error)" + hint(edit, error))
                }
                try change(client, from: current, version: version, to: document, line)
            case .shadowReport(let module, let tenant):
                say(try ShadowReportText.fetch(client, module: module, tenant: tenant, json: line.json))
            case .revert(let prefix):
                let (current, version) = try inForce(client)
                try change(client, from: current, version: version, to: try documentAt(prefix, client), line)
            }
        } catch {
            complain(error.message)
            exit(1)
        }
        exit(0)
    }

    private static let noFile =
        "the gateway routes by its built-in defaults, read from no flags.json: create the file first (see docs/flags-control.md)"

    /// The routing the gateway is in force with, and its file's version.
    private static func inForce(_ client: AdminClient) throws(AdminClient.Failure) -> (FlagsDocument, String) {
        let report = try client.get("/admin/flags", as: FlagRoutes.FlagsReport.self)
        guard let version = report.version else { throw refusal(noFile) }
        do {
            return (try FlagsDocument(parsing: try WireJSON.encode(report.active), source: version), version)
        } catch {
            throw refusal("the gateway's flags cannot be read back: \(error)")
        }
    }

    /// What to do instead, for the edit the parser refuses most often.
    private static func hint(_ edit: FlagsEdit, _ error: FlagsError) -> String {
        guard case .setDefault(let module, _) = edit, error.field.hasSuffix(".rollout.service") || error.field.hasSuffix(".rollout.in-process")
        else { return "" }
        return "; take the rollout off first (banyan flags rollout \(module) --remove --reason …)"
    }

    private static func refusal(_ message: String) -> AdminClient.Failure {
        AdminClient.Failure(message: message, status: nil, code: nil)
    }

    // MARK: - Reading

    private static func status(_ client: AdminClient, json: Bool) throws(AdminClient.Failure) {
        if json {
            say(String(decoding: try client.getRaw("/admin/flags/status"), as: UTF8.self))
            return
        }
        say(FlagsStatusText(try client.get("/admin/flags/status", as: FlagsStatus.self)).description)
    }

    private static func preview(_ client: AdminClient, file: String, json: Bool) throws(AdminClient.Failure) {
        let candidate: JSONValue
        do {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            candidate = try WireJSON.decode(JSONValue.self, from: bytes)
        } catch {
            throw refusal("cannot read \(file) as JSON: \(error)")
        }
        let body = FlagRoutes.Candidate(document: candidate)
        if json {
            say(String(decoding: try client.sendRaw("POST", "/admin/flags/preview", body).body, as: UTF8.self))
            return
        }
        let previewed = try client.send("POST", "/admin/flags/preview", body, as: FlagsChanges.Previewed.self)
        say(previewed.changes.preview.description)
        say(gateLine(previewed.refused))
    }

    private static func history(
        _ client: AdminClient, module: String?, tenant: String?, limit: Int, json: Bool
    ) throws(AdminClient.Failure) {
        var query = ["limit=\(limit)"]
        if let module { query.append("module=\(percentEncoded(module))") }
        if let tenant { query.append("tenant=\(percentEncoded(tenant))") }
        let path = "/admin/flags/history?" + query.joined(separator: "&")
        if json {
            say(String(decoding: try client.getRaw(path), as: UTF8.self))
            return
        }
        say(FlagsHistoryText(try client.get(path, as: [FlagRoutes.HistoryEntry].self)).description)
    }

    /// The file as it was at the version `prefix` names: the document a
    /// recorded change wrote (or started from), whichever the trail has.
    private static func documentAt(_ prefix: String, _ client: AdminClient) throws(AdminClient.Failure) -> FlagsDocument {
        let entries = try client.get(
            "/admin/flags/history?version=\(percentEncoded(prefix))&limit=1000", as: [FlagRoutes.HistoryEntry].self)
        var found: [String: JSONValue] = [:]
        for entry in entries {
            if let version = entry.toVersion, version.hasPrefix(prefix), let after = entry.after, entry.gate.result != "refused" {
                found[version] = after
            }
            if let version = entry.fromVersion, version.hasPrefix(prefix), let before = entry.before, found[version] == nil {
                found[version] = before
            }
        }
        guard let (version, document) = found.first else {
            throw refusal("no recorded change wrote or started from \(prefix): see banyan flags history")
        }
        guard found.count == 1 else {
            throw refusal("\(prefix) names \(found.count) versions (\(found.keys.sorted().joined(separator: ", "))): give more digits")
        }
        do {
            return try FlagsDocument(parsing: try WireJSON.encode(document), source: version)
        } catch {
            throw refusal("the document recorded for \(version) is not a valid flags.json now: \(error)")
        }
    }

    // MARK: - Changing

    /// Preview, then (unless a dry run) write over `version`, then wait until every gateway applied it.
    private static func change(
        _ client: AdminClient, from current: FlagsDocument, version: String, to document: FlagsDocument,
        _ line: FlagsCommandLine
    ) throws(AdminClient.Failure) {
        let candidate: JSONValue
        do {
            candidate = try WireJSON.decode(JSONValue.self, from: document.bytes)
        } catch {
            throw refusal("cannot encode the new flags.json: \(error)")
        }
        let previewed = try client.send(
            "POST", "/admin/flags/preview", FlagRoutes.Candidate(document: candidate), as: FlagsChanges.Previewed.self)
        say("From \(version):")
        say(previewed.changes.preview.description)
        say(gateLine(previewed.refused))
        if sameRouting(current, document) {
            say("flags.json already says this: nothing to write.")
            return
        }
        if !previewed.refused.isEmpty && line.force == nil {
            throw refusal("refused by the gate: \(findings(previewed.refused)); fix the service, or --force REASON")
        }
        if line.dryRun {
            say("Dry run: nothing written.")
            return
        }
        let applied = try client.send(
            "PUT", "/admin/flags",
            FlagRoutes.Replacement(document: candidate, reason: line.reason, forceReason: line.force),
            headers: [("if-match", "\"\(version)\""), ("x-banyan-actor", line.by ?? operatingSystemUser()), ("x-banyan-source", "cli")],
            as: FlagsChanges.Applied.self)
        say("Written \(applied.version) (audit #\(applied.auditID)\(applied.gate.result == "forced" ? ", forced past the gate" : "")).")
        guard line.wait > 0 else { return }
        try waitUntilApplied(applied.version, client, within: line.wait)
    }

    private static func waitUntilApplied(_ version: String, _ client: AdminClient, within seconds: Double) throws(AdminClient.Failure) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        var last: FlagsApplied?
        while true {
            let applied = try client.get("/admin/flags/applied", as: FlagsApplied.self)
            if applied.version == version && applied.allApplied {
                say(
                    "Applied by every running gateway (\(applied.instances.count)): "
                        + applied.instances.map(\.instance).joined(separator: ", ") + ".")
                return
            }
            last = applied
            guard Date() < deadline else { break }
            usleep(200_000)
        }
        let behind = (last?.instances ?? []).filter { $0.version != version }
            .map { "\($0.instance) on \($0.version ?? "the defaults")" }
        throw refusal(
            "written and recorded as \(version), but not applied by every running gateway within \(seconds) s"
                + (behind.isEmpty ? "" : ": " + behind.joined(separator: ", ")))
    }

    /// Whether two documents route every tenant alike, whatever their order.
    private static func sameRouting(_ a: FlagsDocument, _ b: FlagsDocument) -> Bool {
        func routing(_ document: FlagsDocument) -> ([String: String], [String: ModuleRouting]) {
            (
                Dictionary(document.services.map { ($0.module, $0.url) }, uniquingKeysWith: { first, _ in first }),
                Dictionary(document.modules.map { ($0.name, $0.routing) }, uniquingKeysWith: { first, _ in first })
            )
        }
        return routing(a) == routing(b)
    }

    private static func gateLine(_ refused: [FlagsChanges.Finding]) -> String {
        refused.isEmpty ? "Gate: passes." : "Gate: refuses — \(findings(refused))."
    }

    private static func findings(_ refused: [FlagsChanges.Finding]) -> String {
        refused.map { "\($0.module) at \($0.url): \($0.problem)" }.joined(separator: "; ")
    }

    /// The login name of the user running this, for `--by`'s default.
    private static func operatingSystemUser() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
    }

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~:"))) ?? text
    }

    private static func say(_ text: String) { Terminal.say(text) }

    private static func complain(_ message: String) { Terminal.complain("banyan flags: " + message) }
}
