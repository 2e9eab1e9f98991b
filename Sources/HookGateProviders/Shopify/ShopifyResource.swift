/// The fields HookGate reads from the REST resource a Shopify topic delivers (order, refund, customer, checkout or
/// dispute). Everything is optional and read leniently: which fields exist depends on the topic and API version.
struct ShopifyResource: Decodable {
    let id: String?
    let token: String?
    let orderID: String?
    let orderNumber: String?
    let name: String?
    let email: String?
    let phone: String?
    let firstName: String?
    let lastName: String?
    let currency: String?
    let totalPrice: String?
    let amount: String?
    let financialStatus: String?
    let fulfillmentStatus: String?
    let cancelledAt: String?
    let reason: String?
    let status: String?
    let disputeType: String?
    let customer: PersonFields?
    let transactions: [Transaction]
    /// The privacy topics' fields: the shop, and the orders a redaction or data request covers.
    let shopID: String?
    let shopDomain: String?
    let privacyOrders: [String]
    let dataRequestID: String?

    /// `data_request` of `customers/data_request`.
    struct DataRequest: Decodable {
        let id: String?
        enum CodingKeys: String, CodingKey { case id }
        init(from decoder: any Decoder) throws {
            id = try decoder.container(keyedBy: CodingKeys.self).lenient(ProviderID.self, .id)?.text
        }
    }

    struct Transaction: Decodable {
        let amount: String?
        let currency: String?
        let kind: String?
        let status: String?

        enum CodingKeys: String, CodingKey { case amount, currency, kind, status }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            amount = c.lenient(DecimalText.self, .amount)?.text
            currency = c.lenient(String.self, .currency)
            kind = c.lenient(String.self, .kind)
            status = c.lenient(String.self, .status)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, token, name, email, phone, currency, amount, reason, status, customer, transactions
        case type
        case orderID = "order_id"
        case orderNumber = "order_number"
        case firstName = "first_name"
        case lastName = "last_name"
        case totalPrice = "total_price"
        case financialStatus = "financial_status"
        case fulfillmentStatus = "fulfillment_status"
        case cancelledAt = "cancelled_at"
        case shopID = "shop_id"
        case shopDomain = "shop_domain"
        case ordersToRedact = "orders_to_redact"
        case ordersRequested = "orders_requested"
        case dataRequest = "data_request"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(ProviderID.self, .id)?.text
        token = c.lenient(String.self, .token)
        orderID = c.lenient(ProviderID.self, .orderID)?.text
        orderNumber = c.lenient(ProviderID.self, .orderNumber)?.text
        name = c.lenient(String.self, .name)
        email = c.lenient(String.self, .email)
        phone = c.lenient(String.self, .phone)
        firstName = c.lenient(String.self, .firstName)
        lastName = c.lenient(String.self, .lastName)
        currency = c.lenient(String.self, .currency)
        totalPrice = c.lenient(DecimalText.self, .totalPrice)?.text
        amount = c.lenient(DecimalText.self, .amount)?.text
        financialStatus = c.lenient(String.self, .financialStatus)
        fulfillmentStatus = c.lenient(String.self, .fulfillmentStatus)
        cancelledAt = c.lenient(String.self, .cancelledAt)
        reason = c.lenient(String.self, .reason)
        status = c.lenient(String.self, .status)
        disputeType = c.lenient(String.self, .type)
        customer = c.lenient(PersonFields.self, .customer)
        transactions = c.lenient([Transaction].self, .transactions) ?? []
        shopID = c.lenient(ProviderID.self, .shopID)?.text
        shopDomain = c.lenient(String.self, .shopDomain)
        privacyOrders = (c.lenient([ProviderID].self, .ordersToRedact) ?? c.lenient([ProviderID].self, .ordersRequested) ?? []).map(\.text)
        dataRequestID = c.lenient(DataRequest.self, .dataRequest)?.id
    }
}
