public import Foundation

/// A site made from a `[path: contents]` dictionary in a fresh temporary folder, removed by `remove()`.
public struct TemporarySite: Sendable {
    public let root: URL

    public init(_ files: [String: String] = [:], includeSiteConfig: Bool = true) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("qpress-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var all = files
        if includeSiteConfig && all["Content/site.yml"] == nil {
            all["Content/site.yml"] = "title: 测试站点\nbase_url: https://example.org/\n"
        }
        for (path, contents) in all { try write(contents, to: path) }
    }

    public func write(_ contents: String, to path: String) throws {
        try write(Data(contents.utf8), to: path)
    }

    public func write(_ data: Data, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// The file's inode: a file left in place keeps it, a file written again does not.
    public func inode(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path))?[.systemFileNumber] as? UInt64
    }

    public func read(_ path: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    public func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// The repository's root folder (holding `Content/` and `Templates/`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let defaultTheme = repositoryRoot.appendingPathComponent("Templates")

    /// A valid story; pass `fields` to replace the front matter lines.
    public static func story(title: String = "一颗齿轮", date: String = "2020-09-15", extra: String = "", body: String = "## 概述\n\n正文。\n") -> String {
        """
        ---
        title: \(title)
        company: 示例齿轮厂（示例企业）
        author: 张明
        date: \(date)
        industry: 通用机械
        summary: 一个关于齿轮的故事。
        \(extra)
        ---
        \(body)
        """
    }

    public static func paper(title: String = "论文", date: String = "2020-10-08", body: String = "## 引言\n\n正文[^1]。\n\n[^1]: 张三. 书[M]. 2018.\n") -> String {
        """
        ---
        title: \(title)
        authors:
          - name: 李华
            affiliation: 示例液压件厂
        date: \(date)
        abstract: 摘要。
        keywords: [可靠性]
        ---
        \(body)
        """
    }
}
