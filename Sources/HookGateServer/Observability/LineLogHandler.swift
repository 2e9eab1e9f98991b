import Foundation
import HookGateCore
import Logging

/// One line per log event on standard error: text for a terminal, or one JSON object per line for production log
/// pipelines (`--log-format json`).
///
/// Metadata is only formatted when a line is written. Hummingbird sets a request id on every request's logger, and
/// swift-log's `StreamLogHandler` re-renders all metadata on every such change: 1.4 % of the gateway's CPU under
/// load, for lines that a `warning` level never writes.
public struct LineLogHandler: LogHandler {
    /// How a line is laid out.
    public enum Format: String, Sendable, CaseIterable {
        /// `2026-11-22T20:00:18.123Z info hookgate: key=value [Module] message`
        case text
        /// `{"ts":"…","level":"info","logger":"hookgate","msg":"…","key":"value"}`
        case json
    }

    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let write: @Sendable ([UInt8]) -> Void

    /// Writes to standard error, unbuffered and one `write` per line, so lines stay whole when piped.
    public init(label: String, format: Format, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, format: format, metadataProvider: metadataProvider) { FileHandle.standardError.write(Data($0)) }
    }

    /// Hands each finished line, newline included, to `write`.
    init(label: String, format: Format, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.format = format
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }
        let time = Timestamp.rfc3339(Date(), milliseconds: true)
        var line: [UInt8]
        switch format {
        case .text:
            var text = "\(time) \(event.level) \(label):"
            for (key, value) in fields { text += " \(key)=\(value)" }
            text += " [\(event.source)] \(event.message)"
            if let error = event.error { text += " error=\(String(reflecting: error))" }
            line = Self.escapingControls(text)
        case .json:
            var writer = JSONWriter(capacity: 256)
            writer.object { writer in
                writer.field("ts", time)
                writer.field("level", event.level.rawValue)
                writer.field("logger", label)
                writer.field("msg", event.message.description)
                for (key, value) in fields { writer.field(key, value.description) }
                if let error = event.error { writer.field("error", String(reflecting: error)) }
            }
            line = writer.bytes
        }
        line.append(UInt8(ascii: "\n"))
        write(line)
    }

    /// The text as one line: control characters (a newline in a logged value, say) are written as `\n`, `\r`,
    /// `\t` or `\u{…}`, so that no value can start a forged line or move the cursor of the terminal reading it.
    static func escapingControls(_ text: String) -> [UInt8] {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return Array(text.utf8) }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.properties.generalCategory == .control: escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return Array(escaped.utf8)
    }
}
