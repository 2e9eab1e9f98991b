import HookGateCore

/// Builds the ``Provider`` for a configured source.
public enum ProviderRegistry {
    /// The providers this build verifies and normalizes.
    public static let supported: Set<ProviderKind> = [.stripe]

    /// Thrown for a source whose provider this build does not handle yet.
    public struct UnsupportedProvider: Error, CustomStringConvertible {
        public let source: String
        public let provider: ProviderKind
        public var description: String {
            "source \"\(source)\": provider \(provider.rawValue) is not supported by this build (supported: "
                + supported.map(\.rawValue).sorted().joined(separator: ", ") + ")"
        }
    }

    public static func provider(for source: HookGateConfiguration.Source) throws -> any Provider {
        switch source.provider {
        case .stripe:
            return StripeProvider(sourceID: source.id, secrets: source.secrets, tolerance: source.tolerance)
        case .twilio, .shopify, .woocommerce, .nmi, .customerio:
            throw UnsupportedProvider(source: source.id, provider: source.provider)
        }
    }
}
