import Bootstrap
import Contract
import Facade
import Flags
import Foundation
import ModuleRegistry
import Platform
import Routing
import Security

/// `banyan contract <module> --url URL [--junit FILE]`: runs a module's
/// contract suite against a running service, the check an extracted
/// service's own CI pipeline makes before it may be routed to. Every module
/// of the registry with operations has one.
///
/// Prints the module and contract fingerprint the service serves, one line
/// per case, and `N passed, M failed`. Exits 0 when every case passed, 1
/// when one failed or the service could not be asked, 2 on a usage error.
enum ContractCommand {
    static let usage = """
        usage: banyan contract <\(modules.joined(separator: "|"))> --url URL [--junit FILE]
          Runs the module's contract suite against the service at URL
          (e.g. http://127.0.0.1:4004) and exits non-zero on any failure.
          --junit FILE   also write the results as JUnit XML
          Calls are signed with BANYAN_SERVICE_SECRET, else $BANYAN_HOME/service-secret
          (BANYAN_HOME defaults to ./.banyan): the service must use the same secret.
          Cases that arrange data in other modules (Orders' and Chatbot's stock a
          menu) reach those as the service does: by flags.json (BANYAN_FLAGS, else
          ./flags.json) and the monolith at BANYAN_MONOLITH_URL (default
          http://127.0.0.1:8001).
        """

    struct Options: Equatable {
        var module: String
        var url: String
        var junit: String?
    }

    /// The modules with a contract suite: those that run as services.
    static let modules = ModuleRegistry.extractable.map(\.name)

    /// The options, or what is wrong with the arguments.
    static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
        var module: String?
        var url: String?
        var junit: String?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--url", "--junit":
                guard let value = rest.popFirst(), !value.isEmpty, !value.hasPrefix("--") else {
                    return .failure(UsageError("\(argument) needs a value"))
                }
                if argument == "--url" { url = value } else { junit = value }
            case let flag where flag.hasPrefix("--url="):
                url = String(flag.dropFirst("--url=".count))
            case let flag where flag.hasPrefix("--junit="):
                junit = String(flag.dropFirst("--junit=".count))
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
        return .success(Options(module: module, url: url, junit: junit))
    }

    struct UsageError: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func run(_ arguments: [String]) -> Never {
        if arguments.contains("-h") || arguments.contains("--help") {
            print(usage)
            exit(0)
        }
        let options: Options
        switch parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let error):
            complain("banyan contract: \(error.message)\n\(usage)")
            exit(2)
        }
        let secret: [UInt8]
        do {
            secret = try SecretStore.loadOrCreate(environment: "BANYAN_SERVICE_SECRET", file: "service-secret")
        } catch {
            complain("banyan contract: cannot read the service secret: \(error)")
            exit(1)
        }
        guard secret.count >= JWTSigner.minimumSecretLength else {
            complain("banyan contract: BANYAN_SERVICE_SECRET must be at least \(JWTSigner.minimumSecretLength) bytes long")
            exit(1)
        }

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
            module: options.module, baseURL: options.url, tokens: ServiceTokenIssuer(secret: secret),
            decodeError: { service.decodeError($0) })
        let transport: any Transport
        do {
            transport = try withOtherModulesRouted(underTest, module: options.module, secret: secret)
        } catch {
            complain("banyan contract: \(error)")
            exit(1)
        }
        finish(options, service.contract.run(against: transport, progress: report), fingerprint: served.fingerprint)
    }

    /// The module under test at its URL; every other module's calls routed
    /// as the service under test routes its own (the same flags.json and
    /// monolith), so a case stocks the menu the service then sells from.
    private static func withOtherModulesRouted(
        _ underTest: HTTPTransport, module: String, secret: [UInt8]
    ) throws -> ModuleSwitch {
        let flags = try FlagsStore(path: RoutingSetup.flagsPath(), log: .discard)
        let router = ModuleRouter(
            flags: flags, calls: RoutingSetup.serviceCalls(secret: secret), placement: .client,
            monolithURL: RoutingSetup.monolithURL())
        var byModule = router.transport(to: ModuleRegistry.extractable.compactMap(\.service?.interface)).byModule
        byModule[module] = underTest
        return ModuleSwitch(byModule)
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
