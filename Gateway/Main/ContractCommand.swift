import Bootstrap
import Contract
import Facade
import Flags
import Foundation
import ModuleRegistry
import Platform
import Routing
import Security

/// `banyan contract <module> --url URL [--junit FILE] [--secret-file PATH]`: runs a module's
/// contract suite against a running service, the check an extracted
/// service's own CI pipeline makes before it may be routed to. Every module
/// of the registry with operations has one.
///
/// Prints the module and contract fingerprint the service serves, one line
/// per case, and `N passed, M failed`. Exits 0 when every case passed, 1
/// when one failed, the service could not be asked or no service secret was
/// found (`ContractSecret`), 2 on a usage error. When the service refuses
/// the command's token it stops after that case and says why once: the
/// secrets differ, and every other case would fail the same way.
enum ContractCommand {
    static let usage = """
        usage: banyan contract <\(modules.joined(separator: "|"))> --url URL [--junit FILE] [--secret-file PATH]
          Runs the module's contract suite against the service at URL
          (e.g. http://127.0.0.1:4004) and exits non-zero on any failure.
          --junit FILE         also write the results as JUnit XML
          --secret-file PATH   sign calls with the service secret in PATH (mode 0600)
          Calls are signed with the service's secret, found as the services find it and
          never created: --secret-file, else BANYAN_SERVICE_SECRET, else service-secret in
          $BANYAN_HOME when set, else in the .banyan/ of the checkout this banyan was built
          in (where ./scripts/up runs the services), else in ./.banyan.
          Exit status: 0 every case passed; 1 a case failed, the service could not be
          asked, or no secret was found (the places looked in are named); 2 a usage error
          (BANYAN_SERVICE_SECRET shorter than 32 bytes is one).
          Cases that arrange data in other modules (Orders' and Chatbot's stock a
          menu) reach those as the service does: by flags.json (BANYAN_FLAGS, else
          ./flags.json) and the monolith at BANYAN_MONOLITH_URL (default
          http://127.0.0.1:8001).
        """

    struct Options: Equatable {
        var module: String
        var url: String
        var junit: String?
        var secretFile: String?
    }

    /// The modules with a contract suite: those that run as services.
    static let modules = ModuleRegistry.extractable.map(\.name)

    /// The options, or what is wrong with the arguments.
    static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
        var module: String?
        var url: String?
        var junit: String?
        var secretFile: String?
        var rest = arguments[...]
        func set(_ option: String, _ value: String) {
            switch option {
            case "--url": url = value
            case "--junit": junit = value
            default: secretFile = value
            }
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--url", "--junit", "--secret-file":
                guard let value = rest.popFirst(), !value.isEmpty, !value.hasPrefix("--") else {
                    return .failure(UsageError("\(argument) needs a value"))
                }
                set(argument, value)
            case let flag where flag.hasPrefix("--") && flag.contains("="):
                let parts = flag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard ["--url", "--junit", "--secret-file"].contains(parts[0]) else {
                    return .failure(UsageError("unknown option \(parts[0])"))
                }
                guard !parts[1].isEmpty else { return .failure(UsageError("\(parts[0]) needs a value")) }
                set(parts[0], parts[1])
            case let flag where flag.hasPrefix("-"):
                return .failure(UsageError("unknown option \(flag)"))
            default:
                guard module == nil else { return .failure(UsageError("one module at a time")) }
                module = argument
            }
        }
        guard let module else { return .failure(UsageError("name the module: \(modules.joined(separator: " or "))")) }
        guard modules.contains(module) else {
            return .failure(
                UsageError("no contract suite for \(module); there is one for \(modules.joined(separator: ", "))"))
        }
        guard let url, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return .failure(UsageError("--url must be the service's http:// or https:// address"))
        }
        return .success(Options(module: module, url: url, junit: junit, secretFile: secretFile))
    }

    struct UsageError: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func run(_ arguments: [String]) -> Never {
        let options: Options
        switch parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let error):
            complain("banyan contract: \(error.message)\n\(usage)")
            exit(2)
        }
        let secret: ContractSecret
        switch ContractSecret.find(secretFile: options.secretFile) {
        case .success(let found): secret = found
        case .failure(.usage(let message)):
            complain("banyan contract: \(message)\n\(usage)")
            exit(2)
        case .failure(.failure(let message)):
            complain("banyan contract: \(message)")
            exit(1)
        }
        say("signing calls with the service secret from \(secret.source)")

        let served: ContractDescription
        do throws(ContractFailure) {
            served = try ContractDescription.fetch(from: options.url)
        } catch {
            complain("banyan contract: \(error.message); is the \(options.module) service running there?")
            finish(options, [ContractResult(name: "the service answers GET /contract", failure: error.message, seconds: 0)])
        }
        say("\(options.url) serves module \(served.module), \(served.operations.count) operations, fingerprint \(served.fingerprint)")
        guard served.module == options.module else {
            let message = "\(options.url) serves the \(served.module) module, not \(options.module)"
            complain("banyan contract: \(message)")
            finish(
                options, [ContractResult(name: "the service serves the \(options.module) module", failure: message, seconds: 0)],
                fingerprint: served.fingerprint)
        }

        guard let service = ModuleRegistry.named(options.module)?.service else {
            preconditionFailure("parse lets through only modules that run as services")
        }
        let underTest = HTTPTransport(
            module: options.module, baseURL: options.url, tokens: ServiceTokenIssuer(secret: secret.bytes),
            decodeError: { service.decodeError($0) })
        let refusals = TokenRefusals()
        let transport: any Transport
        do {
            transport = try withOtherModulesRouted(underTest, module: options.module, secret: secret.bytes, refusals: refusals)
        } catch {
            complain("banyan contract: \(error)")
            exit(1)
        }
        var results = service.contract.run(against: transport, progress: report) { refusals.first != nil }
        if let refusal = refusals.first, let refused = results.popLast() {
            let explanation = explain(refusal, options, secret, notRun: service.contract.caseNames.count - results.count - 1)
            complain("banyan contract: \(explanation)")
            results.append(
                ContractResult(name: refused.name, failure: explanation + " (\(refused.failure ?? ""))", seconds: refused.seconds))
        }
        finish(options, results, fingerprint: served.fingerprint)
    }

    /// The one reason for a run that stopped at a refused token: which side
    /// refused, that the secrets differ, and how to give the right one.
    private static func explain(
        _ refusal: TokenRefusals.Refusal, _ options: Options, _ secret: ContractSecret, notRun: Int
    ) -> String {
        let refuser =
            refusal.module == options.module
            ? "the \(options.module) service at \(options.url)"
            : "the \(refusal.module) module's home (by flags.json: its service, or the monolith at \(RoutingSetup.monolithURL()))"
        return "\(refuser) rejected this command's service token (401 \(refusal.code)): the secret it was signed with, "
            + "from \(secret.source), is probably not the one the service uses. Give the service's secret with "
            + "--secret-file PATH or \(ServiceSecret.environment), or run with the service's BANYAN_HOME. "
            + "Stopped here: the \(notRun) cases not run would be refused the same way."
    }

    /// The module under test at its URL; every other module's calls routed
    /// as the service under test routes its own (the same flags.json and
    /// monolith), so a case stocks the menu the service then sells from.
    private static func withOtherModulesRouted(
        _ underTest: HTTPTransport, module: String, secret: [UInt8], refusals: TokenRefusals
    ) throws -> ModuleSwitch {
        let flags = try FlagsStore(path: RoutingSetup.flagsPath(), log: .discard)
        let router = ModuleRouter(
            flags: flags, calls: RoutingSetup.serviceCalls(secret: secret), placement: .client,
            monolithURL: RoutingSetup.monolithURL())
        var byModule = router.transport(to: ModuleRegistry.extractable.compactMap(\.service?.interface)).byModule
        byModule[module] = underTest
        return ModuleSwitch(byModule.reduce(into: [:]) { $0[$1.key] = refusals.watching($1.value, module: $1.key) })
    }

    private static func report(_ result: ContractResult) {
        let milliseconds = Int((result.seconds * 1000).rounded())
        if let failure = result.failure {
            say("FAIL  \(result.name)\n      \(failure)")
        } else {
            say("ok    \(result.name) (\(milliseconds) ms)")
        }
    }

    /// The summary line, the JUnit file if asked for, and the exit status.
    private static func finish(_ options: Options, _ results: [ContractResult], fingerprint: String? = nil) -> Never {
        let failed = results.filter { !$0.passed }.count
        say("\(results.count - failed) passed, \(failed) failed")
        if let path = options.junit {
            var properties = [(name: "url", value: options.url), (name: "module", value: options.module)]
            if let fingerprint { properties.append((name: "fingerprint", value: fingerprint)) }
            let report = ContractJUnitReport(suite: options.module, results: results, properties: properties)
            do {
                try Data(report.xml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                complain("banyan contract: cannot write \(path): \(error.localizedDescription)")
                exit(1)
            }
        }
        exit(failed == 0 ? 0 : 1)
    }

    private static func say(_ line: String) { Terminal.say(line) }

    private static func complain(_ message: String) { Terminal.complain(message) }
}
