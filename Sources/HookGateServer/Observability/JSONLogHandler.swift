import Foundation
import HookGateCore
import Logging

/// One JSON object per line on standard error, for production log pipelines (`--log-format json`).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var writer = JSONWriter(capacity: 256)
        writer.object { writer in
            writer.field("ts", Timestamp.rfc3339(Date(), milliseconds: true))
            writer.field("level", event.level.rawValue)
            writer.field("logger", label)
            writer.field("msg", event.message.description)
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { writer.field(key, value.description) }
            if let error = event.error { writer.field("error", String(reflecting: error)) }
        }
        var line = writer.bytes
        line.append(UInt8(ascii: "\n"))
        FileHandle.standardError.write(Data(line))  // unbuffered: lines are whole even when piped
    }
}
