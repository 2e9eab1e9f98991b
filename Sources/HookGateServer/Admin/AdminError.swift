import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// An admin API error: `{"error": code, "detail": what was wrong}` with its status.
struct AdminError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let detail: String
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        .error(status, code, detail: detail, headers: headers)
    }

    static func badRequest(_ detail: String) -> AdminError { .init(status: .badRequest, code: "bad_request", detail: detail) }
    static func notFound(_ detail: String) -> AdminError { .init(status: .notFound, code: "not_found", detail: detail) }
}

/// Gives every error from the admin router, including Hummingbird's own (unknown route, wrong method), the
/// documented JSON shape; anything unexpected becomes a 500 whose cause stays in the log.
struct AdminErrorMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AdminError {
            throw error
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            throw AdminError(status: error.status, code: code, detail: error.body ?? "\(request.method) \(request.uri.path)")
        } catch {
            context.logger.error("admin request failed", metadata: ["hookgate.error": "\(String(reflecting: error))"])
            throw AdminError(status: .internalServerError, code: "internal_error", detail: "the server could not complete the request; see its log")
        }
    }
}
