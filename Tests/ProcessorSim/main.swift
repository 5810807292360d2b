import Foundation
import Glibc
import HTTPServer
import Platform

// processor-sim: a card processor with injectable faults, for scripts/chaos and its tests.

// A caller that hangs up on a held answer must not kill the simulator.
signal(SIGPIPE, SIG_IGN)

let options: SimulatorOptions
do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.contains("--help") || arguments.contains("-h") {
        print(SimulatorOptions.usage)
        exit(0)
    }
    options = try SimulatorOptions(arguments: arguments)
} catch {
    FileHandle.standardError.write(Data("processor-sim: \(error)\n\(SimulatorOptions.usage)\n".utf8))
    exit(2)
}

let simulator: ProcessorSimulator
do {
    let journal = try options.ledgerFile.map { try LedgerJournal(path: $0) }
    simulator = ProcessorSimulator(knobs: options.knobs, ledger: try ProcessorLedger(journal: journal))
} catch {
    FileHandle.standardError.write(Data("processor-sim: cannot read the ledger: \(error)\n".utf8))
    exit(1)
}

var configuration = HTTPServerConfiguration()
configuration.host = options.host
configuration.port = options.port
configuration.workerCount = options.workers
configuration.shutdownGracePeriod = 2
let server = HTTPServer(configuration: configuration, responder: simulator)
do {
    try server.start()
} catch {
    FileHandle.standardError.write(Data("processor-sim: cannot listen: \(error)\n".utf8))
    exit(1)
}
Log.shared.info(
    "processor-sim listening",
    [
        "host": .string(options.host), "port": .int(server.port),
        "charges_in_ledger": .int(simulator.ledger.chargeCount),
    ])

StopSignal.wait()
simulator.stop()
server.shutdown()
Log.shared.info("processor-sim stopped")
Log.shared.flush()
exit(0)
