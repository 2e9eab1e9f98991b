import Foundation
import NIOCore

/// Whose data an erasure removes (DESIGN.md §13): a customer's id, email or phone, normalized for matching. Emails
/// match case-insensitively and phones in their E.164 form, in each event's `data.customer` and in `data.from`,
/// `data.to` and `data.recipient`.
public struct CustomerKeys: Sendable, Equatable {
    public let id: String?
    /// Lowercased.
    public let email: String?
    /// E.164: `+` and 8 to 15 digits.
    public let phone: String?

    /// Why a customer cannot be erased as given; the text names the member.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// - Throws: ``Invalid`` when none is given, or an email or phone is not one.
    public init(id: String?, email: String?, phone: String?) throws(Invalid) {
        let id = id?.trimmingCharacters(in: .whitespaces)
        let idGiven = id.map { !$0.isEmpty } ?? false
        let email = email?.trimmingCharacters(in: .whitespaces).lowercased()
        if let email, email.count < 3 || !email.dropFirst().dropLast().contains("@") {
            throw Invalid(description: "customer.email must be an email address")
        }
        var normalized: String?
        if let phone {
            guard let e164 = Self.e164(phone) else {
                throw Invalid(description: "customer.phone must be a phone number in E.164 form, like +14155550100")
            }
            normalized = e164
        }
        guard idGiven || email != nil || normalized != nil else {
            throw Invalid(description: "customer must have at least one of \"id\", \"email\", \"phone\"")
        }
        self.id = idGiven ? id : nil
        self.email = email
        self.phone = normalized
    }

    /// `text` in E.164, or nil when it is not an international number: spaces, dots, dashes and parentheses are
    /// dropped, a leading `00` is `+`, and a scheme such as `whatsapp:` or `tel:` is ignored. A national number
    /// without its country code cannot be placed, so it matches nothing.
    public static func e164(_ text: String) -> String? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if let colon = rest.firstIndex(of: ":") { rest = rest[rest.index(after: colon)...] }
        var digits = ""
        var plus = false
        for character in rest {
            switch character {
            case "+" where digits.isEmpty && !plus: plus = true
            case "0"..."9": digits.append(character)
            case " ", ".", "-", "(", ")": continue
            default: return nil
            }
        }
        if !plus, digits.hasPrefix("00") {
            plus = true
            digits.removeFirst(2)
        }
        guard plus, (8...15).contains(digits.count), digits.first != "0" else { return nil }
        return "+" + digits
    }

    /// Lowercased texts of which every payload naming this customer contains at least one: a cheap filter storage
    /// applies before ``matches(_:)`` decides. A phone is sought by its last four digits, which every usual way of
    /// writing it keeps together.
    public var needles: [String] {
        [id?.lowercased(), email, phone.map { String($0.suffix(4)) }].compactMap(\.self)
    }

    /// Lowercased texts a raw body that made no event is erased for containing: the email and the E.164 phone, as
    /// written and form-encoded (`%40`, `%2B`). Not the id, which as bare text would match unrelated bodies.
    public var rawNeedles: [String] {
        var needles: [String] = []
        if let email { needles += [email, email.replacingOccurrences(of: "@", with: "%40")] }
        if let phone { needles += [phone, "%2b" + phone.dropFirst()] }
        return needles
    }

    /// True when the CloudEvent `event` names this customer.
    public func matches(_ event: JSONTape.Value) -> Bool {
        guard let data = event["data"] else { return false }
        if let customer = data["customer"] {
            if let id, customer["id"].flatMap(Self.text) == id { return true }
            if let email, customer["email"]?.string?.lowercased() == email { return true }
            if let phone, customer["phone"]?.string.flatMap(Self.e164) == phone { return true }
        }
        for name in ["from", "to", "recipient"] {
            guard let value = data[name]?.string else { continue }
            if let email, value.lowercased() == email { return true }
            if let phone, Self.e164(value) == phone { return true }
        }
        return false
    }

    /// True when `text` is one of the customer's values (an event's subject, say).
    public func names(_ text: String) -> Bool {
        text == id || text.lowercased() == email || (phone != nil && Self.e164(text) == phone)
    }

    /// A string or an integer id as text.
    private static func text(_ value: JSONTape.Value) -> String? {
        value.string ?? value.int64.map(String.init)
    }
}
