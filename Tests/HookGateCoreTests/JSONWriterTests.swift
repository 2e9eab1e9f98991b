import Foundation
import HookGateCore
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    @Test(
        "strings are escaped exactly where JSON needs it and read back unchanged",
        arguments: [
            "", "plain ascii", "q\"uote", "back\\slash", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}", "\"\"\\\\", "héllo 😀 ☕", "end\"",
        ])
    func strings(_ text: String) throws {
        var writer = JSONWriter()
        writer.object { writer in
            writer.field("s", text)
            writer.field("n", nil as String?)
            writer.key("b")
            writer.bool(true)
        }
        let json = String(decoding: writer.bytes, as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any], "\(json)")
        #expect(object["s"] as? String == text)
        #expect(object["n"] is NSNull)
        #expect(json.hasSuffix(#","n":null,"b":true}"#))
        // Nothing but the characters JSON requires is escaped: the rest is copied as UTF-8.
        #expect(!json.contains("\\u00e9") && !json.contains("\\/"))
    }
}
