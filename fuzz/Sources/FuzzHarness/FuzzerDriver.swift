import Foundation
import HookGateCore

/// libFuzzer's driver, for a program that keeps its own `main`. SwiftPM links an executable's entry point as
/// `main`, so a target cannot leave `main` to libFuzzer (under `-parse-as-library` the link fails); it calls
/// the driver from its top-level code instead.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

/// The harness the callback runs; set once, before the driver starts.
nonisolated(unsafe) private var current: Harness?

/// libFuzzer's entry point for one input. The runtime's own (unused) `main` refers to it by name, so it is exported
/// under that name as well as handed to the driver.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafeRawPointer?, _ count: Int) -> CInt {
    current!.run(data, count)
}

extension Harness {
    /// Runs libFuzzer over `kind`'s harness with the process's arguments (corpus directories, `-runs=`, …).
    public static func runFuzzer(_ kind: ProviderKind) -> Never {
        current = Harness(kind)
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
        exit(status)
    }
}
