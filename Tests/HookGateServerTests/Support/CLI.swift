import Foundation

/// Runs the real `hookgate` binary's on-call verbs against a gateway's admin API.
enum CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// Standard output as a JSON object (for `--json`).
        var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]) ?? [:] }
    }

    /// `hookgate <arguments>` with `HOOKGATE_ADMIN_URL` and `HOOKGATE_ADMIN_TOKEN` set (no token when nil).
    ///
    /// Nothing here blocks a thread: the gateway under test runs in this process on the same few cooperative
    /// threads, and a blocking wait would starve the very server the CLI is talking to.
    static func run(_ arguments: [String], adminURL: String, token: String?) async throws -> Result {
        let process = Process()
        process.executableURL = GatewayProcess.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOOKGATE_ADMIN_URL"] = adminURL
        environment["HOOKGATE_ADMIN_TOKEN"] = token
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let collected = (out: PipeCollector(stdout), err: PipeCollector(stderr))
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let output = (await collected.out.untilEnd(), await collected.err.untilEnd())
        return Result(status: status, stdout: String(decoding: output.0, as: UTF8.self), stderr: String(decoding: output.1, as: UTF8.self))
    }
}
