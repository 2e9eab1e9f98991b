import ArgumentParser

@main
struct HookGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookgate",
        abstract: "Webhook ingestion gateway: verify, normalize, store and route provider callbacks.",
        subcommands: [
            Serve.self, Migrate.self, Check.self, Sign.self, Renormalize.self, Prune.self,
            EventsCommand.self, DeliveriesCommand.self, DestinationsCommand.self, ReplayCommand.self, SubscriptionsCommand.self, EraseCommand.self,
        ]
    )
}
