import Foundation

/// CPU time the calling thread spends in `body`: unlike the wall clock, it does not grow when the
/// machine is busy with other tests or builds, so "well under a second" can be asserted.
public func threadCPUTime(_ body: () throws -> Void) rethrows -> Duration {
    func now() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }
    let start = now()
    try body()
    return now() - start
}
