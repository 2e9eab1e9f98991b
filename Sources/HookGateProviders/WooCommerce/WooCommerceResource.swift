/// The fields HookGate reads from the REST representation a WooCommerce topic delivers (an order or a customer;
/// `deleted` topics carry only `id`). Everything is optional and read leniently.
struct WooCommerceResource: Decodable {
    let id: String?
    let number: String?
    let status: String?
    let currency: String?
    let total: String?
    let dateModifiedGMT: String?
    let customerID: String?
    let email: String?
    let firstName: String?
    let lastName: String?
    let billing: PersonFields?
    let refunds: [Refund]

    struct Refund: Decodable {
        let id: String?
        let total: String?

        enum CodingKeys: String, CodingKey { case id, total }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = c.lenient(ProviderID.self, .id)?.text
            total = c.lenient(DecimalText.self, .total)?.text
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, number, status, currency, total, email, billing, refunds
        case dateModifiedGMT = "date_modified_gmt"
        case customerID = "customer_id"
        case firstName = "first_name"
        case lastName = "last_name"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(ProviderID.self, .id)?.text
        number = c.lenient(ProviderID.self, .number)?.text
        status = c.lenient(String.self, .status)
        currency = c.lenient(String.self, .currency)
        total = c.lenient(DecimalText.self, .total)?.text
        dateModifiedGMT = c.lenient(String.self, .dateModifiedGMT)
        // 0 is WooCommerce's guest customer: no customer id.
        customerID = (c.lenient(ProviderID.self, .customerID)?.text).flatMap { $0 == "0" || $0.isEmpty ? nil : $0 }
        email = c.lenient(String.self, .email)
        firstName = c.lenient(String.self, .firstName)
        lastName = c.lenient(String.self, .lastName)
        billing = c.lenient(PersonFields.self, .billing)
        refunds = c.lenient([Refund].self, .refunds) ?? []
    }
}
