import Foundation

/// A progress bar on standard error: redrawn in place on a terminal, one line per change (at most one a second)
/// when the output goes to a file or a pipe, so logs stay readable.
public final class ProgressLine {
    private let interactive = isatty(STDERR_FILENO) == 1
    private var lastLine = ""
    private var lastPrinted = Date.distantPast

    public init() {}

    /// Shows `done` of `total` with a note (`12 ok · 1 failed`).
    public func update(done: Int, total: Int, note: String) {
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "[\(bar)] \(done)/\(total) \(note)"
        guard line != lastLine else { return }
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else if Date().timeIntervalSince(lastPrinted) >= 1 || done == total {
            FileHandle.standardError.write(Data((line + "\n").utf8))
            lastPrinted = Date()
        }
        lastLine = line
    }

    /// Ends the bar's line on a terminal.
    public func finish() {
        if interactive && !lastLine.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
