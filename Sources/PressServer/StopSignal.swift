import Dispatch
import Foundation

/// SIGINT (Ctrl-C) and SIGTERM for `serve`. Left to their default, they end the process at once, and a PDF
/// being made in the background (WeasyPrint, a child process) runs on, orphaned, into its temporary folder.
/// Caught, they end `PreviewServer.run`'s task group instead, whose cancellation stops the PDF job and kills
/// WeasyPrint.
enum StopSignal {
    /// Returns the first SIGINT or SIGTERM received from now on.
    static func next() async -> Int32 {
        let received = Received()
        return await withCheckedContinuation { continuation in
            received.waiting(continuation)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { received.resume(number) }
                source.resume()
                received.keep(source)
            }
        }
    }

    /// Resumes its continuation once, whichever signal comes first, and keeps the sources alive until then.
    private final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Int32, Never>?
        private var sources: [DispatchSourceSignal] = []

        func waiting(_ continuation: CheckedContinuation<Int32, Never>) { lock.withLock { self.continuation = continuation } }
        func keep(_ source: DispatchSourceSignal) { lock.withLock { sources.append(source) } }

        func resume(_ number: Int32) {
            let pending: CheckedContinuation<Int32, Never>? = lock.withLock {
                defer { continuation = nil; sources.forEach { $0.cancel() }; sources = [] }
                return continuation
            }
            pending?.resume(returning: number)
        }
    }
}
