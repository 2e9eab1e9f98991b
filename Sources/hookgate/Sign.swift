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
            """
    )

    @Option(help: "Provider whose signing scheme to use: \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var provider: ProviderKind

    @Option(help: "The signing secret, as configured in the source's secrets.")
    var secret: String

    @Option(help: "The URL the provider posts to (providers that sign the URL need it).")
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
        switch provider {
        case .stripe:
            print("Stripe-Signature: " + StripeSigner.signatureHeader(body: Array(body), secret: secret, timestamp: time))
        case .twilio, .shopify, .woocommerce, .nmi, .customerio:
            throw ValidationError("signing for \(provider.rawValue) is not supported by this build yet")
        }
    }
}

extension ProviderKind: ExpressibleByArgument {}
