import HookGateCore

/// `POST /console/session`.
struct ConsoleSignInRequest: AdminRequestBody {
    static let members = ["token"]
    var token: String

    init(from decoder: any Decoder) throws {
        guard let token = try StrictMembers(decoder, allowed: Self.members, context: "the body").string("token"), !token.isEmpty else {
            throw AdminError.badRequest("the body must be a JSON object with \"token\"")
        }
        self.token = token
    }
}
