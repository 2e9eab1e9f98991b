import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import HookGateServer

@Suite("Log lines")
struct LineLogHandlerTests {
    /// A logger whose lines land in `lines`, with metadata set the way Hummingbird sets its request id.
    private static func logger(_ format: LineLogHandler.Format, into lines: NIOLockedValueBox<[String]>) -> Logger {
        var logger = Logger(label: "hookgate") { label in
            LineLogHandler(label: label, format: format) { bytes in lines.withLockedValue { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
        logger[metadataKey: "hb.request.id"] = "42"
        return logger
    }

    @Test("text: time, level, label, sorted metadata (set before and passed with the event), source, message")
    func text() throws {
        let lines = NIOLockedValueBox<[String]>([])
        Self.logger(.text, into: lines).warning("answered 503", metadata: ["hookgate.source": "stripe"], source: "HookGateServer")
        let line = try #require(lines.withLockedValue { $0 }.first)
        #expect(line.hasSuffix(" warning hookgate: hb.request.id=42 hookgate.source=stripe [HookGateServer] answered 503\n"))
        #expect(line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z "#, options: .regularExpression) != nil)
    }

    @Test("text: a value with a newline or an escape sequence cannot forge a line")
    func textEscapesControls() throws {
        let lines = NIOLockedValueBox<[String]>([])
        let forged = "x\n2026-12-06T00:00:00.000Z critical hookgate: [HookGateServer] admin token accepted\r\u{1B}[2J\t"
        Self.logger(.text, into: lines).warning("bad \(forged)", metadata: ["hookgate.url": "\(forged)"])
        let all = lines.withLockedValue { $0 }.joined()
        #expect(all.filter { $0 == "\n" }.count == 1, "one line: \(all)")
        #expect(all.contains(#"x\n2026-12-06"#) && all.contains(#"\r\u{1b}[2J\t"#))
        #expect(!all.unicodeScalars.dropLast().contains { $0.properties.generalCategory == .control })
    }

    @Test("json: one object per line with every field")
    func json() throws {
        let lines = NIOLockedValueBox<[String]>([])
        Self.logger(.json, into: lines).error("commit failed", metadata: ["hookgate.batch_size": "3"])
        let line = try #require(lines.withLockedValue { $0 }.first)
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "error")
        #expect(object["logger"] == "hookgate")
        #expect(object["msg"] == "commit failed")
        #expect(object["hb.request.id"] == "42")
        #expect(object["hookgate.batch_size"] == "3")
        #expect(object["ts"]?.hasSuffix("Z") == true)
    }

    @Test("a level below the logger's writes nothing")
    func level() {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Self.logger(.text, into: lines)
        logger.logLevel = .warning
        logger.info("stored webhook")
        #expect(lines.withLockedValue { $0 }.isEmpty)
    }
}
