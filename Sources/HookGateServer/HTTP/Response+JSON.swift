import HTTPTypes
import HookGateCore
import Hummingbird
import NIOCore

extension Response {
    /// A list page (`{"data":[…],"next_cursor":…}`) of items written as bytes: stored CloudEvents, copied verbatim.
    /// Typed items go in a ``ListPage``.
    static func page<Item>(_ items: [Item], nextCursor: String?, item: (inout JSONWriter, Item) -> Void) -> Response {
        var writer = JSONWriter(capacity: 4_096)
        writer.object { writer in
            writer.key("data")
            writer.array { writer in items.forEach { item(&writer, $0) } }
            writer.field("next_cursor", nextCursor)
        }
        return .json(.ok, writer.bytes)
    }

    /// A JSON response from one of the admin API's response types.
    static func encoded(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) throws -> Response {
        .json(status, try AdminJSON.encode(value), headers: headers)
    }

    /// A JSON response from bytes HookGate already serialized.
    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8], headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `{"error":"<code>"}`, and `"detail"` when given: the only error shape clients ever see.
    static func error(_ status: HTTPResponse.Status, _ code: String, detail: String? = nil, headers: HTTPFields = [:]) -> Response {
        var writer = JSONWriter(capacity: 64)
        writer.object { writer in
            writer.field("error", code)
            if let detail { writer.field("detail", detail) }
        }
        return .json(status, writer.bytes, headers: headers)
    }
}
