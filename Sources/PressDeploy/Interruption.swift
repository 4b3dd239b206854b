import Dispatch
import Foundation

/// SIGINT and SIGTERM during a deploy. Every tool qpress runs (ssh, rsync, rclone, ssh-agent) is in
/// a process group of its own, so a Ctrl-C reaches qpress alone and the tools would outlive it. Once
/// `install()` ran, a signal stops them instead: SIGTERM to each tool's process group, SIGKILL after
/// `grace` seconds. No new tool starts (but cleanup: releasing the lock), so the deploy unwinds through
/// its usual error path, which removes the session folder and says what was and was not published.
/// Should the unwinding not finish in time, the session folders are removed here and qpress exits.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()

    private let lock = NSLock()
    private var received: Int32?
    private var pids: Set<Int32> = []
    private var endedEarly: Set<Int32> = []
    private var folders: Set<URL> = []
    private var sources: [DispatchSourceSignal] = []
    /// Seconds between SIGTERM and SIGKILL.
    let grace: Double = 3

    /// The signal received, if any.
    public var signal: Int32? { lock.withLock { received } }

    /// `SIGINT`, `SIGTERM`
    public static func name(_ signal: Int32) -> String { signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)" }

    /// Handles SIGINT and SIGTERM from now on (the `qpress deploy` command calls it; tests never do).
    public func install() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                Foundation.signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in receive(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    private func receive(_ number: Int32) {
        let running: Set<Int32> = lock.withLock {
            if received == nil { received = number }
            return pids
        }
        for pid in running { Self.send(SIGTERM, to: pid) }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            for pid in lock.withLock({ pids }) { Self.send(SIGKILL, to: pid) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace + 7) { [self] in giveUp() }
    }

    /// The unwinding hung: remove what holds a secret and leave.
    private func giveUp() {
        let (number, remaining, running) = lock.withLock { (received ?? SIGTERM, folders, pids) }
        for pid in running { Self.send(SIGKILL, to: pid) }
        for folder in remaining { try? FileManager.default.removeItem(at: folder) }
        let line = "qpress deploy stopped by \(Self.name(number)); what was published is unknown: run the same deploy again\n"
        FileHandle.standardError.write(Data(line.utf8))
        exit(128 + number)
    }

    private static func send(_ number: Int32, to pid: Int32) {
        // The tool and whatever it started (rsync's ssh) share its group.
        if getpgid(pid) == pid { kill(-pid, number) } else { kill(pid, number) }
    }

    /// Called before a tool starts: refused once a signal came, except for cleanup.
    func admit(_ tool: String, cleanup: Bool) throws(ToolError) {
        if let number = signal, !cleanup {
            throw ToolError(tool: tool, message: "stopped by \(Self.name(number)) before starting \(tool)")
        }
    }

    /// A started tool; stopped at once if a signal came meanwhile (a cleanup tool gets `grace` seconds).
    func started(_ pid: Int32, cleanup: Bool) {
        let late = lock.withLock { () -> Bool in
            // A tool that ended before it was recorded is not recorded (its pid may be reused).
            guard endedEarly.remove(pid) == nil else { return false }
            pids.insert(pid)
            return received != nil
        }
        guard late else { return }
        if !cleanup { return Self.send(SIGTERM, to: pid) }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            if lock.withLock({ pids.contains(pid) }) { Self.send(SIGKILL, to: pid) }
        }
    }

    func ended(_ pid: Int32) {
        lock.withLock {
            if pids.remove(pid) == nil { endedEarly.insert(pid) }
        }
    }

    /// A session folder to remove if qpress must exit before the deploy unwinds.
    func track(_ folder: URL) { _ = lock.withLock { folders.insert(folder) } }
    func untrack(_ folder: URL) { _ = lock.withLock { folders.remove(folder) } }
}
