import ArgumentParser
import Foundation
import HookGateCore
import HookGateServer
import Logging

/// Options every gateway-side command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Configuration file (or set HOOKGATE_CONFIG).")
    var config: String = ProcessInfo.processInfo.environment["HOOKGATE_CONFIG"] ?? "routes.yaml"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Log format: text for a terminal, json for one object per line.")
    var logFormat: LineLogHandler.Format = .text

    /// Bootstraps logging once per process and returns the root logger.
    func makeLogger() -> Logger {
        let level = logLevel
        let format = logFormat
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "hookgate")
    }

    /// Loads the configuration, turning errors into a one-line message that names the key and line.
    func loadConfiguration() throws -> HookGateConfiguration {
        do {
            return try ConfigurationLoader.load(path: config)
        } catch let error as ConfigurationError {
            throw CommandFailure("\(config): \(error)")
        }
    }
}

/// A failure that is not a usage mistake (bad configuration, unreachable storage): printed as `Error: …`, exit 1,
/// without the usage text ArgumentParser adds to a `ValidationError`.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LineLogHandler.Format: ExpressibleByArgument {}
