import ArgumentParser
import HookGateCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the configuration file and print what it says (secrets are never shown).")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let config = try options.loadConfiguration()
        let server = config.server
        print("configuration \(options.config) is valid\n")
        print("server")
        print(
            "  listen          \(server.listen) (\(server.tls == nil ? "plaintext HTTP: put TLS in front of it" : "TLS, cert \(server.tls!.certificatePath)"))"
        )
        print("  admin_listen    \(server.adminListen)")
        print(
            "  limits          body \(server.maxBodyBytes) B, buffered \(server.maxBufferedBytes) B, headers \(server.maxHeaderBytes) B, \(server.maxConnections) connections"
        )
        print("  timeouts        read \(server.readTimeout.components.seconds) s, idle \(server.idleTimeout.components.seconds) s")
        print(
            "  rate_limit      "
                + (server.rateLimit.isEnabled ? "\(server.rateLimit.perIPPerSecond)/s per IP, burst \(server.rateLimit.burst)" : "off"))
        var storage = "\(config.storage.location)"
        if case .postgres(let postgres) = config.storage.location, postgres.sendsInTheClear {
            storage += "  WARNING: a network host without sslmode=require: credentials and webhooks travel in the clear"
        }
        print("storage           \(storage)")
        if let key = config.storage.encryptionKey {
            let previous = config.storage.previousEncryptionKeys.map(\.description).joined(separator: ", ")
            print("  encryption_key  \(key)" + (previous.isEmpty ? "" : "; previous, still read: \(previous)"))
        } else {
            print("  encryption_key  none  WARNING: subscription signing secrets are stored unencrypted (set storage.encryption_key)")
        }
        print(
            "admin tokens      "
                + (config.admin.tokens.isEmpty
                    ? "none (the admin API refuses every /v1 request)" : config.admin.tokens.map(\.description).joined(separator: ", ")))
        print("\nsources (POST /webhooks/{id})")
        for source in config.sources {
            let url = source.publicURL.map { ", public_url \($0)" } ?? ""
            print(
                "  \(source.id.padding(12)) \(source.provider.rawValue.padding(12)) \(source.secrets.count) secret(s), tolerance \(source.tolerance.components.seconds) s\(url)"
            )
        }
        print("\ntargets")
        for target in config.targets {
            let schedule = target.retry.schedule.map { "\($0.components.seconds)s" }.joined(separator: " ")
            print(
                "  \(target.id.padding(12)) \(target.url)  timeout \(target.timeout.components.seconds) s, max_in_flight \(target.maxInFlight), retry [\(schedule)], \(target.signingSecret == nil ? "unsigned" : "signed")"
            )
        }
        print("\nroutes")
        for route in config.routes {
            let sources = route.sources?.joined(separator: ", ") ?? "any source"
            print(
                "  \(route.name.padding(12)) \(route.types.map(\.description).joined(separator: ", ")) from \(sources) -> \(route.targets.joined(separator: ", "))"
            )
        }
        print(
            "\nsubscriptions     private addresses \(config.subscriptions.allowPrivate ? "ALLOWED (development only)" : "refused"), max_in_flight \(config.subscriptions.maxInFlight), \(config.subscriptions.retry.schedule.count) attempts"
        )
        let retention = config.retention
        let kept = { (period: Duration?) in period.map { DurationText.spoken($0.timeInterval) } ?? "forever" }
        print(
            "retention         receipt bodies \(kept(retention.receiptBodies)), events \(kept(retention.events)), audit \(kept(retention.audit))"
        )
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
