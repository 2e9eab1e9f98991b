import Foundation
import HookGateCore
import NIOCore
import Testing

@Suite("JSON tape")
struct JSONTapeTests {
    private func tape(_ text: String) -> JSONTape? {
        JSONTape(parsing: ByteBuffer(string: text))
    }

    @Test("members, nesting and lenient reads")
    func reads() throws {
        let root = try #require(
            tape(
                #"""
                { "id": "evt_1", "created": 1700000000, "live": false, "data": { "object": { "amount": -250, "tags": [] ,
                  "items": { "data": [ { "id": "si_1" }, { "id": "si_2" } ] }, "note": null } } }
                """#)?.root)
        #expect(root["id"]?.string == "evt_1")
        #expect(root["created"]?.int64 == 1_700_000_000)
        #expect(root["live"]?.bool == false)
        let object = try #require(root["data"]?["object"])
        #expect(object.isObject)
        #expect(object["amount"]?.int64 == -250)
        #expect(object["items"]?["data"]?.first?["id"]?.string == "si_1")
        #expect(object["tags"]?.first == nil)
        #expect(object["note"]?.isNull == true)
        #expect(object["missing"] == nil)
        // Another type reads as absent.
        #expect(root["id"]?.int64 == nil)
        #expect(root["created"]?.string == nil)
        #expect(root["id"]?["x"] == nil)
        // A member that follows a nested container is still found.
        #expect(try #require(tape(#"{"a":{"b":[1,{"c":2}]},"d":"after"}"#)).root["d"]?.string == "after")
    }

    @Test("escapes, surrogate pairs and escaped keys")
    func escapes() throws {
        let root = try #require(tape(#"{"s":"q\"b\\s\/n\nt\tu\u00e9 \ud83d\ude00 lone \ud800 end","k\u0065y":"v","plain":"h\u00e9llo"}"#)?.root)
        #expect(root["s"]?.string == "q\"b\\s/n\nt\tué 😀 lone \u{FFFD} end")
        #expect(root["key"]?.string == "v")
        #expect(root["plain"]?.string == "héllo")
        #expect(try #require(tape(#""caf\u00E9 ☕""#)).root.string == "café ☕")
    }

    @Test("integers: limits and non-integers")
    func integers() throws {
        #expect(tape("9223372036854775807")?.root.int64 == Int64.max)
        #expect(tape("-9223372036854775808")?.root.int64 == Int64.min)
        #expect(tape("9223372036854775808")?.root.int64 == nil)
        #expect(tape("1.5")?.root.int64 == nil)
        #expect(tape("1e3")?.root.int64 == nil)
        #expect(tape("0")?.root.int64 == 0)
        #expect(tape("-0.25e-2") != nil)
    }

    @Test(
        "malformed documents are refused",
        arguments: [
            "", " ", "{", "}", "[1,]", "[,1]", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{a:1}"#, "01", "1.", "-", ".5", "+1", "1e",
            "tru", "nul", "[true false]", #""\x""#, #""\u12""#, "\"a\nb\"", #""open"#, "{} x", "[] []", "NaN", "'a'",
        ])
    func malformed(_ text: String) {
        #expect(tape(text) == nil)
    }

    @Test("nesting is limited to 512 levels")
    func depth() {
        #expect(tape(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) != nil)
        #expect(tape(String(repeating: "[", count: 513) + String(repeating: "]", count: 513)) == nil)
    }

    @Test("every provider fixture parses as Foundation's parser parses it")
    func fixtures() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        let files = try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
        #expect(files.count > 20)
        for file in files {
            let data = try Data(contentsOf: file)
            let tape = try #require(JSONTape(parsing: ByteBuffer(bytes: data)), "\(file.lastPathComponent)")
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for (key, value) in object {
                if let text = value as? String { #expect(tape.root[key]?.string == text, "\(file.lastPathComponent): \(key)") }
                if tape.root[key]?.bool == nil, let number = value as? Int {
                    #expect(tape.root[key]?.int64 == Int64(number), "\(file.lastPathComponent): \(key)")
                }
            }
        }
    }
}
