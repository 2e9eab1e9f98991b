import Foundation
import NIOConcurrencyHelpers

/// Collects everything a child process writes to a pipe, reading it with blocking reads on a thread of its own.
///
/// Not `FileHandle.readabilityHandler`: on Linux, tearing down the dispatch read source behind it races
/// libdispatch's epoll bookkeeping, and the manager thread then dereferences a freed note and takes the whole test
/// process down with SIGSEGV in `_dispatch_event_loop_drain` (swift-corelibs-libdispatch#949; it crashed CI here).
/// A blocking read never registers the descriptor with libdispatch, so there is nothing to race.
final class PipeCollector: Sendable {
    private struct State {
        var data = Data()
        var ended = false
        var waiters: [CheckedContinuation<Data, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    /// Starts reading `pipe`; the process that writes to it should own its write end (as `Process.run()` arranges).
    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [state] in
            while true {
                // Blocks until something arrives; empty means every writer has closed its end.
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                state.withLockedValue { $0.data.append(chunk) }
            }
            let (data, waiters) = state.withLockedValue { state in
                state.ended = true
                defer { state.waiters = [] }
                return (state.data, state.waiters)
            }
            for waiter in waiters { waiter.resume(returning: data) }
        }
        thread.start()
    }

    /// What has arrived so far, as text.
    var text: String { String(decoding: state.withLockedValue { $0.data }, as: UTF8.self) }

    /// Everything the pipe carried, once its writers have closed it (waits without blocking a thread).
    func untilEnd() async -> Data {
        await withCheckedContinuation { continuation in
            let data: Data? = state.withLockedValue { state in
                guard state.ended else {
                    state.waiters.append(continuation)
                    return nil
                }
                return state.data
            }
            if let data { continuation.resume(returning: data) }
        }
    }
}
