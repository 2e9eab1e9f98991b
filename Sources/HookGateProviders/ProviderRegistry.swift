import HookGateCore

/// Builds the ``Provider`` for a configured source.
public enum ProviderRegistry {
    public static func provider(for source: HookGateConfiguration.Source) -> any Provider {
        switch source.provider {
        case .stripe:
            StripeProvider(sourceID: source.id, secrets: source.secrets, tolerance: source.tolerance)
        case .twilio:
            // The loader refuses a Twilio source without public_url; an empty one could never verify anything.
            TwilioProvider(sourceID: source.id, secrets: source.secrets, publicURL: source.publicURL ?? "")
        case .shopify:
            ShopifyProvider(sourceID: source.id, secrets: source.secrets)
        case .woocommerce:
            WooCommerceProvider(sourceID: source.id, secrets: source.secrets)
        case .nmi:
            NMIProvider(sourceID: source.id, secrets: source.secrets)
        case .customerio:
            CustomerIOProvider(sourceID: source.id, secrets: source.secrets, tolerance: source.tolerance)
        }
    }
}
