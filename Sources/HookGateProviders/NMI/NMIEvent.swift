/// The parts of an NMI webhook HookGate reads: the envelope and the transaction or subscription in `event_body`.
struct NMIEvent: Decodable {
    let eventID: String
    let eventType: String
    let body: Body?

    struct Body: Decodable {
        let transactionID: String?
        let subscriptionID: String?
        let orderID: String?
        let customerID: String?
        let currency: String?
        let email: String?
        let amount: String?
        let responseCode: String?
        let responseText: String?

        enum CodingKeys: String, CodingKey {
            case currency, action
            case transactionID = "transaction_id"
            case subscriptionID = "subscription_id"
            case orderID = "order_id"
            case customerID = "customerid"
            case billingAddress = "billing_address"
        }

        private struct Action: Decodable {
            let amount: String?
            let responseCode: String?
            let responseText: String?
            enum CodingKeys: String, CodingKey {
                case amount
                case responseCode = "response_code"
                case responseText = "response_text"
            }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                amount = c.lenient(DecimalText.self, .amount)?.text
                responseCode = c.lenient(ProviderID.self, .responseCode)?.text
                responseText = c.lenient(String.self, .responseText)
            }
        }

        private struct Address: Decodable {
            let email: String?
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            transactionID = c.lenient(ProviderID.self, .transactionID)?.text
            subscriptionID = c.lenient(ProviderID.self, .subscriptionID)?.text
            orderID = c.lenient(ProviderID.self, .orderID)?.text
            customerID = (c.lenient(ProviderID.self, .customerID)?.text).nonEmpty
            currency = c.lenient(String.self, .currency)
            email = (c.lenient(Address.self, .billingAddress)?.email).nonEmpty
            let action = c.lenient(Action.self, .action)
            amount = action?.amount
            responseCode = action?.responseCode
            responseText = action?.responseText
        }
    }

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case eventType = "event_type"
        case body = "event_body"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        eventID = try c.decode(String.self, forKey: .eventID)
        eventType = try c.decode(String.self, forKey: .eventType)
        body = c.lenient(Body.self, .body)
    }
}
