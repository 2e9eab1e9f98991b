/// `POST /v1/erasures`: whose data to erase, and optionally in which sources only.
struct ErasureRequest: AdminRequestBody {
    static let members = ["customer", "sources"]
    static let customerMembers = ["id", "email", "phone"]

    var id: String?
    var email: String?
    var phone: String?
    var customerGiven: Bool
    var sources: [String]?

    init(from decoder: any Decoder) throws {
        let body = try StrictMembers(decoder, allowed: Self.members, context: "the body")
        let customer = try body.object("customer", allowed: Self.customerMembers)
        customerGiven = customer != nil
        id = try customer?.string("id")
        email = try customer?.string("email")
        phone = try customer?.string("phone")
        sources = try body.strings("sources")
    }
}
