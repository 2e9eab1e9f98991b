import HookGateCore
import HookGateProviders

/// A configured source, ready for the hot path: its provider built with prepared keys and its body limit resolved.
struct IngestSource: Sendable {
    let id: String
    let provider: any Provider
    let maxBodyBytes: Int

    init(_ source: HookGateConfiguration.Source, defaultMaxBodyBytes: Int) {
        self.id = source.id
        self.provider = ProviderRegistry.provider(for: source)
        self.maxBodyBytes = source.maxBodyBytes ?? defaultMaxBodyBytes
    }
}
