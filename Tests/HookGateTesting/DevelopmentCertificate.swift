import Foundation

/// A self-signed certificate and key for 127.0.0.1/localhost, made with openssl in a temporary directory.
public struct DevelopmentCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String

    public static func make(commonName: String = "localhost") throws -> DevelopmentCertificate {
        let directory = TemporaryDirectory.make()
        let certificate = directory.appendingPathComponent("server.crt").path
        let key = directory.appendingPathComponent("server.key").path
        try run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(commonName)",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ])
        return DevelopmentCertificate(certificatePath: certificate, keyPath: key)
    }

    /// Runs a command to completion; throws with its output when it fails.
    public static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("\(arguments.joined(separator: " ")) failed: \(String(decoding: data, as: UTF8.self))")
        }
    }
}
