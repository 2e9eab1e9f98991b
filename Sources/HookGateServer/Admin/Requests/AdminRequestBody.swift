import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// An admin request body: one JSON object with only `members`, decoded strictly through ``StrictMembers``.
protocol AdminRequestBody: Decodable {
    /// The members the endpoint knows, as the OpenAPI document lists them.
    static var members: [String] { get }
}

extension AdminRequestBody {
    /// Every admin body is small: a subscription, a filter. A larger one is refused before it is parsed.
    static var maximumBytes: Int { 64 * 1024 }

    /// The request's body; with `optional`, an empty body is an empty object.
    static func read(_ request: Request, optional: Bool = false) async throws -> Self {
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch is NIOTooManyBytesError {
            throw AdminError(status: .contentTooLarge, code: "payload_too_large", detail: "the body must be at most 64 KiB")
        }
        if buffer.readableBytes == 0 && optional { buffer = ByteBuffer(string: "{}") }
        do {
            return try JSONDecoder().decode(Self.self, from: Data(buffer: buffer))
        } catch let error as AdminError {
            throw error
        } catch {
            throw AdminError.badRequest("the body must be a JSON object with \(members.sorted().map { "\"\($0)\"" }.joined(separator: ", "))")
        }
    }
}
