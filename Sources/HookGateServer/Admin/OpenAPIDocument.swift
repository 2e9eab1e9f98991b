import Hummingbird

/// The admin API's OpenAPI 3.1 document (DESIGN.md §8), served at `GET /v1/openapi.yaml`.
///
/// The document is `openapi.yaml` beside this file, embedded in the binary at build time, so a deployed gateway
/// always serves the document of its own version. Tests hold it to the registered routes and to the admin API's
/// Codable types, and CI runs schemathesis against a running gateway with it.
enum OpenAPIDocument {
    static func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: yaml)))
        }
    }

    static var yaml: [UInt8] { PackageResources.openapi_yaml }
}
