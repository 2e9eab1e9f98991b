import HTTPTypes
import HookGateCore
import Hummingbird
import NIOCore

extension Response {
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
