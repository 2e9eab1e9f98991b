/// A problem in `routes.yaml`, located by key path and line so an operator can fix it without guessing.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Dotted key path, with indexes for list items: `sources[1].secrets`.
    public let path: String
    /// 1-based line in the file, when the YAML node has one.
    public let line: Int?
    /// What is wrong, in words; never contains a secret value.
    public let message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        let location = path.isEmpty ? "" : "\(path): "
        let lineText = line.map { "line \($0): " } ?? ""
        return "\(lineText)\(location)\(message)"
    }
}
