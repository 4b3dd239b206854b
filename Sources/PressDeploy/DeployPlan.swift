import Foundation
import PressCore

/// What a file is to a visitor, which decides when a `sync` deploy sends it: assets first, then the
/// pages that use them, then the sitemap and feeds that point at the pages; deletions come last.
public enum FileRole: Int, Sendable, Comparable, CaseIterable {
    case asset, page, index

    public static func of(_ path: String) -> FileRole {
        let name = (path as NSString).lastPathComponent.lowercased()
        let ext = (name as NSString).pathExtension
        if ext == "html" || ext == "htm" { return .page }
        if name == "robots.txt" || (ext == "xml" && Self.indexNames.contains(where: { name.hasPrefix($0) })) { return .index }
        return .asset
    }

    private static let indexNames = ["sitemap", "atom", "rss", "feed", "index"]

    public static func < (lhs: FileRole, rhs: FileRole) -> Bool { lhs.rawValue < rhs.rawValue }

    public var title: String {
        switch self {
        case .asset: return "assets"
        case .page: return "pages"
        case .index: return "sitemap and feeds"
        }
    }

    /// `1 asset`, `3 pages`, `2 sitemap and feed files`
    public func count(_ number: Int) -> String {
        switch self {
        case .asset: return plural(number, "asset")
        case .page: return plural(number, "page")
        case .index: return plural(number, "sitemap or feed file", "sitemap and feed files")
        }
    }
}

/// What a release or sync target holds now, read before anything is sent.
public struct RemoteState: Sendable {
    /// The manifest of the live site, nil on a first deploy (or when it cannot be trusted).
    public var manifest: Manifest?
    /// `releases`: the release `current` points at.
    public var current: String?
    /// `releases`: complete releases (with a manifest), oldest first.
    public var releases: [String] = []
    /// `releases`: folders of uploads that never finished.
    public var incomplete: [String] = []
    /// `releases`: seconds since each release folder changed, complete or not.
    public var ages: [String: Int] = [:]
    /// Why the manifest found on the target cannot be trusted (`manifest` is then nil).
    public var manifestProblem: String?

    public init(manifest: Manifest? = nil, current: String? = nil, releases: [String] = [], incomplete: [String] = [],
                manifestProblem: String? = nil) {
        self.manifestProblem = manifestProblem
        self.manifest = manifest
        self.current = current
        self.releases = releases
        self.incomplete = incomplete
    }
}

/// The output compared with the live site: what to add, replace and delete.
public struct DeployPlan: Sendable {
    public var local: Manifest
    public var remote: RemoteState
    /// Send every file, whatever the target holds.
    public var forced: Bool
    public private(set) var added: [String] = []
    public private(set) var changed: [String] = []
    public private(set) var deleted: [String] = []
    public private(set) var unchanged: [String] = []

    public init(local: Manifest, remote: RemoteState, force: Bool = false) {
        self.local = local
        self.remote = remote
        self.forced = force
        let previous = remote.manifest?.files ?? [:]
        for (path, entry) in local.files {
            switch previous[path] {
            case nil: added.append(path)
            case entry?: unchanged.append(path)
            default: changed.append(path)
            }
        }
        deleted = previous.keys.filter { local.files[$0] == nil }
        added.sort()
        changed.sort()
        deleted.sort()
        unchanged.sort()
    }

    /// The files to upload, in path order.
    public var toSend: [String] { forced ? local.files.keys.sorted() : (added + changed).sorted() }
    /// Files already on the target with the same content: hard-linked into a new release.
    public var toLink: [String] { forced ? [] : unchanged }
    public var bytesToSend: Int64 { toSend.reduce(0) { $0 + (local.files[$1]?.size ?? 0) } }
    public var isUpToDate: Bool { !forced && added.isEmpty && changed.isEmpty && deleted.isEmpty }

    /// `sync` order: the files to send of one role.
    public func toSend(_ role: FileRole) -> [String] { toSend.filter { FileRole.of($0) == role } }

    /// `3 added, 1 changed, 2 deleted, 40 unchanged`
    public var counts: String {
        "\(added.count) added, \(changed.count) changed, \(deleted.count) deleted, \(unchanged.count) unchanged"
    }

    /// One line per file, `+` added, `~` changed, `-` deleted, grouped in the order they are sent.
    public func lines(strategy: DeployStrategy) -> [String] {
        let added = Set(self.added)
        func mark(_ path: String) -> String { added.contains(path) ? "+ \(path)" : "~ \(path)" }
        var lines: [String] = []
        switch strategy {
        case .releases:
            lines += toSend.map(mark)
            lines += deleted.map { "- \($0)" }
        case .sync:
            var step = 0
            for role in FileRole.allCases {
                let files = toSend(role)
                guard !files.isEmpty else { continue }
                step += 1
                lines.append("\(step). \(role.title) (\(files.count))")
                lines += files.map { "   " + mark($0) }
            }
            if !deleted.isEmpty {
                step += 1
                lines.append("\(step). deletions, last (\(deleted.count))")
                lines += deleted.map { "   - \($0)" }
            }
        }
        return lines
    }
}

/// `12.3 KB`
public func formatBytes(_ bytes: Int64) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
    return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
}

/// `1 file`, `2 files`
public func plural(_ number: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
    "\(number) \(number == 1 ? singular : pluralForm ?? singular + "s")"
}
