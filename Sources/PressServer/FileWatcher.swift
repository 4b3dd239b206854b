public import Foundation

/// Notices changes below some folders by polling file stamps (size and modification time):
/// no dependency, works on every file system, and a site of 10,000 files is listed in a few ms.
public struct FileWatcher: Sendable {
    public let folders: [URL]
    public var interval: Duration
    /// How long the files must stay unchanged before a change is reported (editors save in steps).
    public var quiet: Duration

    public init(folders: [URL], interval: Duration = .milliseconds(300), quiet: Duration = .milliseconds(150)) {
        self.folders = folders
        self.interval = interval
        self.quiet = quiet
    }

    public struct Stamp: Equatable, Sendable {
        var size: Int
        var modified: Double
    }

    /// Path → stamp of every non-hidden file below the folders.
    public func snapshot() -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        for folder in folders {
            guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys,
                                                                  options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in enumerator {
                guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
                stamps[url.path] = Stamp(size: values.fileSize ?? 0, modified: values.contentModificationDate?.timeIntervalSince1970 ?? 0)
            }
        }
        return stamps
    }

    /// Waits for the next change and returns the paths that changed (added, removed or modified),
    /// once they have been quiet for `quiet`. Throws when the task is cancelled.
    public func nextChange(after previous: inout [String: Stamp]) async throws -> [String] {
        while true {
            try await Task.sleep(for: interval)
            var current = snapshot()
            guard current != previous else { continue }
            // Debounce: wait until a save in several steps (write, rename, touch) has finished.
            while true {
                try await Task.sleep(for: quiet)
                let again = snapshot()
                if again == current { break }
                current = again
            }
            let changed = Set(current.keys).symmetricDifference(previous.keys)
                .union(current.keys.filter { previous[$0] != nil && previous[$0] != current[$0] })
            previous = current
            return changed.sorted()
        }
    }
}
