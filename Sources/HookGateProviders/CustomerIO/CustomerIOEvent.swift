/// The parts of a Customer.io reporting webhook HookGate reads.
struct CustomerIOEvent: Decodable {
    let eventID: String
    let objectType: String
    let metric: String
    let timestamp: Int64?
    let data: Data?

    struct Data: Decodable {
        let deliveryID: String?
        let recipient: String?
        let customerID: String?
        let email: String?
        let href: String?
        let failureMessage: String?

        enum CodingKeys: String, CodingKey {
            case recipient, recipients, identifiers, href
            case deliveryID = "delivery_id"
            case customerID = "customer_id"
            case emailAddress = "email_address"
            case failureMessage = "failure_message"
        }

        private struct Identifiers: Decodable {
            let id: String?
            let email: String?
            enum CodingKeys: String, CodingKey { case id, email }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                id = c.lenient(ProviderID.self, .id)?.text
                email = c.lenient(String.self, .email)
            }
        }

        private struct Recipient: Decodable {
            let deviceID: String?
            let failureMessage: String?
            enum CodingKeys: String, CodingKey {
                case deviceID = "device_id"
                case failureMessage = "failure_message"
            }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                deviceID = c.lenient(String.self, .deviceID)
                failureMessage = c.lenient(String.self, .failureMessage)
            }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let identifiers = c.lenient(Identifiers.self, .identifiers)
            // Push reports its recipients as devices, each with its own failure.
            let device = c.lenient([Recipient].self, .recipients)?.first
            deliveryID = c.lenient(String.self, .deliveryID)
            recipient = c.lenient(String.self, .recipient) ?? device?.deviceID
            customerID = identifiers?.id ?? c.lenient(ProviderID.self, .customerID)?.text
            email = identifiers?.email ?? c.lenient(String.self, .emailAddress)
            href = c.lenient(String.self, .href)
            failureMessage = c.lenient(String.self, .failureMessage) ?? device?.failureMessage
        }
    }

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case objectType = "object_type"
        case metric, timestamp, data
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        eventID = try c.decode(String.self, forKey: .eventID)
        objectType = try c.decode(String.self, forKey: .objectType)
        metric = try c.decode(String.self, forKey: .metric)
        timestamp = c.lenient(Int64.self, .timestamp)
        data = c.lenient(Data.self, .data)
    }
}
