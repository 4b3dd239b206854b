import Dispatch
import Foundation

/// SIGINT (Ctrl-C) and SIGTERM for `serve`, `build` and `anthology`. Left to their default, they end the process
/// at once: a PDF being made (WeasyPrint, a child process) runs on, orphaned, and the staging folder is left
/// behind. Caught, they cancel the command's work instead, whose cancellation kills WeasyPrint and discards the
/// staging folder.
public enum StopSignal {
    /// Returns the first SIGINT or SIGTERM received from now on, or nil when the waiting task is cancelled
    /// (the signals then have their default effect again).
    public static func next() async -> Int32? {
        let received = Received()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                received.waiting(continuation)
                for number in [SIGINT, SIGTERM] {
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                    source.setEventHandler { received.resume(number) }
                    source.resume()
                    received.keep(source)
                }
            }
        } onCancel: {
            received.resume(nil)
        }
    }

    /// Runs `work` to its end unless a stop signal comes first; then `work` is cancelled and still awaited, so
    /// that what it started is cleaned up before the caller exits. Returns its result and the signal, if any.
    public static func running<Result: Sendable>(_ work: @escaping @Sendable () async -> Result) async -> (Result, Int32?) {
        await withTaskGroup(of: Ending<Result>.self) { group in
            group.addTask { .finished(await work()) }
            group.addTask { .stopped(await next()) }
            var result: Result?, stop: Int32?
            while let ending = await group.next() {
                switch ending {
                case .finished(let value): result = value
                case .stopped(let number): stop = number
                }
                group.cancelAll()
            }
            // Both tasks always end: `work` once cancelled, the signal wait when cancelled.
            guard let result else { preconditionFailure("the work task of StopSignal.running always returns") }
            return (result, stop)
        }
    }

    public static func name(_ number: Int32) -> String { number == SIGINT ? "SIGINT" : "SIGTERM" }

    private enum Ending<Result: Sendable>: Sendable { case finished(Result), stopped(Int32?) }

    /// Resumes its continuation once, with whichever comes first (a signal or cancellation), even if that
    /// comes before the continuation is there; keeps the sources alive until then.
    private final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Int32?, Never>?
        private var sources: [DispatchSourceSignal] = []
        private var outcome: Int32??

        func waiting(_ continuation: CheckedContinuation<Int32?, Never>) {
            let early: Int32?? = lock.withLock {
                if outcome == nil { self.continuation = continuation }
                return outcome
            }
            if let early { continuation.resume(returning: early) }
        }

        func keep(_ source: DispatchSourceSignal) {
            let stale = lock.withLock { () -> Bool in
                if outcome != nil { return true }
                sources.append(source)
                return false
            }
            if stale { finish(source) }
        }

        func resume(_ number: Int32?) {
            let (pending, ended): (CheckedContinuation<Int32?, Never>?, [DispatchSourceSignal]) = lock.withLock {
                guard outcome == nil else { return (nil, []) }
                outcome = .some(number)
                defer { continuation = nil; sources = [] }
                return (continuation, sources)
            }
            ended.forEach(finish)
            pending?.resume(returning: number)
        }

        private func finish(_ source: DispatchSourceSignal) {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
    }
}
