import Synchronization

/// Thrown when a call did not finish within its deadline.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "no answer in time" }
}

/// Runs `operation`, but returns (throwing ``DeadlineExceeded``) after `timeout` even if it has not finished.
///
/// The one deadline helper for storage calls. PostgresNIO's pool holds a query for up to a minute while the
/// database is unreachable and does not give it up on cancellation, so a task group racing a timer would still wait
/// for it at the group's end; this returns at the deadline instead. The abandoned call finishes on its own: the
/// delivery workers' writes are guarded by their lease, and a health probe's ping writes nothing.
public func withDeadline<Value: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
        let once = ResumeOnce(continuation)
        let timer = Task {
            try await Task.sleep(for: timeout)
            once.resume(with: .failure(DeadlineExceeded()))
        }
        Task {
            do {
                once.resume(with: .success(try await operation()))
            } catch {
                once.resume(with: .failure(error))
            }
            timer.cancel()
        }
    }
}

/// A continuation that the first of several racers resumes; the others are ignored.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<Value, any Error>) {
        let waiting = continuation.withLock { value in
            defer { value = nil }
            return value
        }
        waiting?.resume(with: result)
    }
}
