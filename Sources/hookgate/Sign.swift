import ArgumentParser
import Foundation
import HookGateCore
import HookGateProviders

struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the headers a provider would send with FILE as the body, one 'Name: value' per line.",
        discussion: """
            Example:
              hookgate sign --provider stripe --secret whsec_dev payload.json
              curl -H "$(hookgate sign --provider stripe --secret whsec_dev payload.json)" \\
                   -H 'Content-Type: application/json' --data-binary @payload.json http://127.0.0.1:8443/webhooks/stripe

              hookgate sign --provider twilio --secret dev_twilio_token --url http://127.0.0.1:8443/webhooks/twilio sms.txt
            Customer.io prints two headers (timestamp and signature); pass each with its own -H.
            """
    )

    @Option(help: "Provider whose signing scheme to use: \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var provider: ProviderKind

    @Option(help: "The signing secret, as configured in the source's secrets.")
    var secret: String

    @Option(
        help:
            "The full URL the provider posts to, query included (twilio signs it; for a JSON body add bodySHA256=<hex SHA-256 of the body> to its query)."
    )
    var url: String?

    @Option(help: "Unix time to sign with (default: now).")
    var timestamp: Int64?

    @Argument(help: "File holding the exact body bytes ('-' for standard input).")
    var file: String

    func run() throws {
        let body: Data
        if file == "-" {
            body = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            body = data
        }
        let time = timestamp ?? Int64(Date().timeIntervalSince1970)
        do {
            for (name, value) in try ProviderSigning.headers(provider: provider, body: Array(body), secret: secret, url: url, timestamp: time) {
                print("\(name): \(value)")
            }
        } catch let error as ProviderSigning.MissingURL {
            throw ValidationError("--url is required: \(error)")
        }
    }
}

extension ProviderKind: ExpressibleByArgument {}
