public import Foundation
import PressCore

/// `qpress new` and `qpress init`: new documents with the front matter their type needs, and new
/// sites with the default layout and one example of each content type. Never overwrites a file.
public enum Scaffold {
    public enum Kind: String, CaseIterable, Sendable {
        case story, paper, page

        /// The folder under `Content/`.
        public var folder: String {
            switch self {
            case .story: return "stories"
            case .paper: return "papers"
            case .page: return "pages"
            }
        }
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Creates `Content/<folder>/<slug>.md` below `site` and returns its path relative to `site`.
    /// The slug is made from the title (Chinese kept) unless given. New documents are drafts.
    @discardableResult
    public static func newDocument(_ kind: Kind, title: String, slug: String? = nil, in site: URL,
                                   date: Date = Date()) throws(Problem) -> String {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw Problem("the title is empty") }
        let slug = slug ?? Slug.make(title)
        if slug.isEmpty { throw Problem("cannot make a slug from '\(title)'; pass --slug") }
        if let problem = Slug.problem(with: slug) { throw Problem(problem) }
        var isDirectory: ObjCBool = false
        let content = site.appendingPathComponent("Content")
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Problem("no Content/ folder in '\(site.path)'; run qpress init first or pass --source")
        }
        let relative = "Content/\(kind.folder)/\(slug).md"
        let text = frontMatter(kind, title: title, date: date) + body(kind)
        try create(relative, text, in: site)
        return relative
    }

    /// Front matter with every field the type requires; placeholders say what to write.
    static func frontMatter(_ kind: Kind, title: String, date: Date) -> String {
        let day = isoDate(date)
        let quoted = yamlString(title)
        switch kind {
        case .story:
            return """
            ---
            title: \(quoted)
            company: 企业名称
            author: 作者姓名
            date: \(day)
            industry: 所属行业
            summary: 用一两句话概括这个品牌故事。
            tags: []
            draft: true
            ---

            """
        case .paper:
            return """
            ---
            title: \(quoted)
            authors:
              - name: 作者姓名
                affiliation: 作者单位
            date: \(day)
            abstract: 摘要：研究的问题、方法、结果和结论。
            keywords: []
            tags: []
            draft: true
            ---

            """
        case .page:
            return """
            ---
            title: \(quoted)
            summary: 用一句话说明本页内容。
            draft: true
            ---

            """
        }
    }

    static func body(_ kind: Kind) -> String {
        switch kind {
        case .story: return "## 背景\n\n正文从这里开始。\n"
        case .paper: return "## 引言\n\n正文从这里开始。参考文献写成脚注[^1]。\n\n[^1]: 作者. 书名[M]. 出版地: 出版社, 年份.\n"
        case .page: return "正文从这里开始。\n"
        }
    }

    /// Creates a new site in `folder` (which must not exist or be empty): `Content/` with `site.yml`,
    /// slogans, one story, one paper and one page, an `assets/images/` folder, and an empty
    /// `Templates/` whose files would override the default theme's.
    @discardableResult
    public static func initSite(at folder: URL, title: String = "质量月示例网站") throws(Problem) -> [String] {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: folder.path) {
            let entries = (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []
            if !entries.filter({ !$0.hasPrefix(".") }).isEmpty {
                throw Problem("'\(folder.path)' exists and is not empty; choose a new folder")
            }
        }
        var created: [String] = []
        for (path, text) in Starter.files(title: title) {
            try create(path, text, in: folder)
            created.append(path)
        }
        return created
    }

    static func create(_ relative: String, _ text: String, in root: URL) throws(Problem) {
        let url = root.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) {
            throw Problem("\(relative) already exists; not overwriting it (choose another title or --slug)")
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // `withoutOverwriting`: even a file created a moment ago by someone else is kept.
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            throw Problem("cannot write \(relative): \(error.localizedDescription)")
        }
    }

    static func isoDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// A YAML scalar for a title: plain when safe, else double-quoted.
    static func yamlString(_ text: String) -> String {
        let special = CharacterSet(charactersIn: ":#{}[],&*!|>'\"%@`-?")
        let needsQuotes = text.unicodeScalars.contains { special.contains($0) } || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
