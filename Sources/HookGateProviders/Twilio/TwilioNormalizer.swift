import Foundation
import HTTPTypes
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// Maps Twilio messaging and voice callbacks to canonical events. Twilio sends no event type: the kind of callback
/// follows from which parameters are present.
struct TwilioNormalizer {
    let sourceID: String

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        guard let parameters = Self.parameters(webhook) else { return .unparsed(body: webhook.body) }
        let token = webhook.headers[.twilioIdempotencyToken].nonEmpty
        let messageID = parameters["MessageSid"] ?? parameters["SmsMessageSid"] ?? parameters["SmsSid"]
        let callID = parameters["CallSid"]
        let rawType: String
        let mapping: Mapping?
        let identity: String?
        if let messageID, let status = parameters["MessageStatus"] {
            rawType = "message.status"
            identity = "\(messageID):\(status)"
            mapping = Mapping(
                type: "message.status_changed", subject: messageID,
                data: .object([
                    "message_id": .string(messageID),
                    "status": .string(status),
                    "from": parameters["From"].json,
                    "to": parameters["To"].json,
                    "error_code": parameters["ErrorCode"].flatMap { $0.isEmpty ? nil : .string($0) },
                ]))
        } else if let messageID {
            rawType = "message"
            identity = "\(messageID):\(parameters["SmsStatus"] ?? "received")"
            mapping = Mapping(type: "message.received", subject: messageID, data: Self.inboundMessage(messageID, parameters))
        } else if let callID, let status = parameters["CallStatus"] {
            rawType = "call.status"
            identity = "\(callID):\(status):\(parameters["SequenceNumber"] ?? "")"
            mapping = Mapping(
                type: "call.status_changed", subject: callID,
                data: .object([
                    "call_id": .string(callID),
                    "status": .string(status),
                    "from": parameters["From"].json,
                    "to": parameters["To"].json,
                    "direction": parameters["Direction"].json,
                    "duration_seconds": parameters["CallDuration"].flatMap(Int64.init).map(JSONValue.int),
                    "recording_url": parameters["RecordingUrl"].map(JSONValue.string),
                ]))
        } else {
            // Some other Twilio product (an Event Streams CloudEvent names its own type): kept as a passthrough.
            rawType = parameters["type"] ?? "request"
            identity = nil
            mapping = nil
        }
        return EventBuilder(sourceID: sourceID, provider: .twilio, webhook: webhook).normalization(
            mapping,
            rawType: rawType,
            dedupeKey: token.map { "token:" + $0 } ?? identity ?? Normalization.unparsed(body: webhook.body).dedupeKey,
            time: nil,
            providerEventID: token ?? messageID ?? callID
        )
    }

    /// Form fields (the usual body), or the top-level scalars of a JSON object; nil for a JSON body that is not one.
    private static func parameters(_ webhook: InboundWebhook) -> [String: String]? {
        if TwilioURL.bodySHA256(inQueryOf: webhook.pathAndQuery) != nil || webhook.body.readableBytesView.first == UInt8(ascii: "{") {
            guard let object = try? JSONDecoder().decode([String: Scalar].self, from: webhook.body) else { return nil }
            return object.compactMapValues(\.text)
        }
        return FormFields(webhook.body.readableBytesView).firstValues
    }

    private static func inboundMessage(_ messageID: String, _ parameters: [String: String]) -> JSONValue {
        let from = parameters["From"]
        let to = parameters["To"]
        let mediaCount = max(0, min(Int(parameters["NumMedia"] ?? "") ?? 0, 100))
        let media: [JSONValue] = (0..<mediaCount).compactMap { index in
            guard let url = parameters["MediaUrl\(index)"] else { return nil }
            return .object(["url": .string(url), "content_type": parameters["MediaContentType\(index)"].json])
        }
        let channel = [from, to].contains { $0?.hasPrefix("whatsapp:") == true } ? "whatsapp" : mediaCount > 0 ? "mms" : "sms"
        return .object([
            "message_id": .string(messageID),
            "channel": .string(channel),
            "from": from.json,
            "to": to.json,
            "body": parameters["Body"].json,
            "media": .array(media),
            "account_id": parameters["AccountSid"].json,
        ])
    }

    /// A JSON scalar as text; objects and arrays have none.
    private struct Scalar: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let number = try? container.decode(Decimal.self) {
                text = "\(number)"
            } else if let bool = try? container.decode(Bool.self) {
                text = String(bool)
            } else {
                text = nil
            }
        }
    }
}
