/// The providers HookGate verifies and normalizes; `sources[].provider` names one.
public enum ProviderKind: String, Sendable, CaseIterable, Codable {
    case stripe, twilio, shopify, woocommerce, nmi, customerio
}
