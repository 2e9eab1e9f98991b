import HookGateCore

/// An id field Stripe may send either as the id string or, when expanded, as the object carrying it.
struct StripeReference {
    let id: String
    let email: String?

    init?(_ value: JSONTape.Value) {
        if let id = value.string {
            self.id = id
            email = nil
        } else if let id = value["id"]?.string {
            self.id = id
            email = value["email"]?.string
        } else {
            return nil
        }
    }
}
