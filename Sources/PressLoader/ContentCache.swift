import Foundation
import PressCore
package import PressModel

/// What `stat` says of a source file: what decides, without reading it, whether it may have changed.
/// The change time and inode catch what size and modification time miss: `touch -d` back to an old
/// time, and a file replaced by another of the same size (the kernel sets both, no tool can).
public struct FileStamp: Sendable, Codable, Equatable {
    public var size: Int
    public var modified: Double
    public var changed: Double
    public var inode: UInt64

    public init(size: Int, modified: Double, changed: Double = 0, inode: UInt64 = 0) {
        self.size = size
        self.modified = modified
        self.changed = changed
        self.inode = inode
    }

    /// Timestamps are only as fine as the file system's clock (a few milliseconds on Linux, two
    /// seconds on FAT): a file stamped this close to the walk that read it may have been written
    /// again within the same tick, keeping its stamp. Such a file is read and hashed again (Git's
    /// "racily clean" entries).
    public static let clockMargin = 2.0

    /// Whether this stamp, taken by a walk that started at `scannedAt`, is too close to it to be trusted.
    public func isRacy(scannedAt: Double) -> Bool {
        max(modified, changed) >= scannedAt - Self.clockMargin
    }
}

/// Parsed documents from the previous build, keyed by source path. Bodies are not kept:
/// a document that is not re-rendered does not need its Markdown. The cache file's records of
/// them are read and written by PressIncremental (`DocumentRecords`).
public struct ContentCache: Sendable {
    package struct Entry: Sendable {
        package var stamp: FileStamp
        /// `ContentHash` of the file's bytes: a file whose stamp changed but whose bytes did not is not rendered again.
        package var hash: UInt64?
        package var document: Document
        /// The line this entry was read from: an unchanged document is written back as it was.
        package var line: Substring?

        package init(stamp: FileStamp, hash: UInt64? = nil, document: Document, line: Substring? = nil) {
            self.stamp = stamp
            self.hash = hash
            self.document = document
            self.line = line
        }
    }

    package var entries: [String: Entry] = [:]
    /// When the walk that took the entries' stamps started (seconds since 1970), for `FileStamp.isRacy`.
    package var scannedAt: Double = 0

    public init() {}

    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }
}

extension Document {
    var withoutBody: Document {
        switch self {
        case .story(var story): story.header.body = ""; return .story(story)
        case .paper(var paper): paper.header.body = ""; return .paper(paper)
        case .page(var page): page.header.body = ""; return .page(page)
        }
    }
}

/// The hash of a source file's bytes kept in the cache: `Fingerprint`, stable from run to run.
enum ContentHash {
    static func of(_ data: Data) -> UInt64 {
        var print = Fingerprint()
        // A typed buffer, so the hash runs eight bytes at a time whatever Data's storage.
        data.withUnsafeBytes { print.add(bytes: $0.bindMemory(to: UInt8.self)) }
        return print.value
    }
}
