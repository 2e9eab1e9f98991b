/// A person as commerce providers describe one (Shopify's `customer`, WooCommerce's `billing`): an id where there is
/// one, and contact fields, empty strings read as absent.
struct PersonFields: Decodable {
    let id: String?
    let email: String?
    let phone: String?
    let firstName: String?
    let lastName: String?

    var name: String? { fullName(firstName, lastName) }

    enum CodingKeys: String, CodingKey {
        case id, email, phone
        case firstName = "first_name"
        case lastName = "last_name"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = (c.lenient(ProviderID.self, .id)?.text).nonEmpty
        email = c.lenient(String.self, .email).nonEmpty
        phone = c.lenient(String.self, .phone).nonEmpty
        firstName = c.lenient(String.self, .firstName).nonEmpty
        lastName = c.lenient(String.self, .lastName).nonEmpty
    }
}
