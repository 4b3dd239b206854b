import Foundation
import PressCitations
import PressCore
import PressMarkdown
import PressModel

/// A story or paper of the book, with the section it stands in.
struct BookDocument: Sendable {
    enum Kind: Sendable {
        case story(BrandStory)
        case paper(Paper)
    }
    var header: DocumentHeader
    var kind: Kind
    var sectionIndex: Int

    var slug: String { header.slug }
}

/// What a format's rendering produced: the template values plus the problems found on the way.
struct RenderedBook {
    var view: [String: Any]
    var diagnostics: [Diagnostic]
    var wordCount: Int
    /// Static files below `Content/` that the Markdown links to (`assets/images/x.svg`), for packaging.
    var resources: Set<String> = []
    /// The images the book places, in reading order, each time it places one.
    var images: [BookImage] = []
}

/// Where a Markdown text comes from, for naming the images it places.
struct MarkdownSource {
    var path: String
    var contentPath: String
    var body: String
    var firstLine: Int
}

/// What rendering the book's Markdown added up to.
struct Tally {
    var diagnostics: [Diagnostic] = []
    var words = 0
    var resources: Set<String> = []
    var images: [BookImage] = []

    @discardableResult
    mutating func add(_ rendered: RenderedMarkdown, _ problems: [Diagnostic], source: MarkdownSource,
                      resolver: BookLinkResolver) -> TextStatistics {
        diagnostics += problems
        let statistics = rendered.textStatistics
        words += statistics.wordCount
        for link in rendered.links where link.resolved.hasPrefix("resources/") {
            resources.insert(URLPath.decode(String(link.resolved.dropFirst("resources/".count))) ?? link.resolved)
        }
        for link in rendered.links where link.kind == .image {
            guard let target = resolver.imageTarget(link.written, from: source.contentPath),
                  let file = resolver.staticFiles[target] else { continue }
            let alt = BookImage.alt(in: source.body, line: link.line, firstLine: source.firstLine)
            images.append(BookImage(contentPath: target, file: file, sourcePath: source.path, line: link.line,
                                    share: BookImage.share(in: source.body, line: link.line, firstLine: source.firstLine),
                                    label: BookImage.label(alt: alt, contentPath: target)))
        }
        return statistics
    }
}

/// Builds the values the book templates see, for one format. Every key is listed in the
/// README's "Print template variables". Views are dictionaries, as for the website.
struct BookViews: Sendable {
    let manifest: AnthologyManifest
    let site: Site
    let documents: [BookDocument]
    let markdown: MarkdownRenderer
    /// Papers' bibliographies, for citations; numbers restart with each paper.
    let bibliographies: SiteBibliographies

    init(manifest: AnthologyManifest, site: Site) {
        self.manifest = manifest
        self.site = site
        var stories: [String: BrandStory] = [:]
        var papers: [String: Paper] = [:]
        for story in site.stories { stories[story.header.contentRelativePath] = story }
        for paper in site.papers { papers[paper.header.contentRelativePath] = paper }
        var documents: [BookDocument] = []
        for (index, section) in manifest.sections.enumerated() {
            for path in section.documents {
                if let story = stories[path] {
                    documents.append(BookDocument(header: story.header, kind: .story(story), sectionIndex: index))
                } else if let paper = papers[path] {
                    documents.append(BookDocument(header: paper.header, kind: .paper(paper), sectionIndex: index))
                }
            }
        }
        self.documents = documents
        markdown = MarkdownRenderer(options: .init(allowRawHTML: site.config.unsafeHTML))
        let papersInBook = documents.compactMap { document -> Paper? in
            if case .paper(let paper) = document.kind { return paper }
            return nil
        }
        bibliographies = SiteBibliographies(site: site, style: manifest.citationStyle, papers: papersInBook)
    }

    func resolver(_ format: BookFormat) -> BookLinkResolver {
        var slugs: [String: String] = [:]
        for document in documents { slugs[document.header.contentRelativePath] = document.slug }
        var staticFiles: [String: String] = [:]
        for file in site.staticFiles { staticFiles[file.outputPath] = file.sourceFile }
        return BookLinkResolver(format: format, slugs: slugs, routes: site.routesBySource, staticFiles: staticFiles, site: site.config)
    }

    func footnotes(_ format: BookFormat) -> MarkdownRenderer.FootnoteStyle {
        format == .print && manifest.notes == .page ? .inline : .endnotes
    }

    /// Renders one Markdown body for `format`; ids carry the slug in one-file formats. A paper with a
    /// bibliography gets its citations and its own 参考文献 list.
    func render(_ body: String, sourcePath: String, contentPath: String, firstLine: Int, slug: String,
                format: BookFormat, paper: Paper? = nil) -> (RenderedMarkdown, [Diagnostic]) {
        let resolver = resolver(format)
        let prefix = format == .epub ? "" : BookLinkResolver.id(slug: slug, fragment: "")
        let options = MarkdownRenderer.DocumentOptions(idPrefix: prefix, footnotes: footnotes(format), cjkTypesetting: format == .print)
        if let paper, bibliographies.cites(paper) {
            return bibliographies.render(paper, markdown: markdown, idPrefix: prefix, document: options) {
                resolver.resolve($0, from: contentPath, slug: slug)
            }
        }
        return markdown.render(body, file: sourcePath, firstLine: firstLine, document: options) {
            resolver.resolve($0, from: contentPath, slug: slug)
        }
    }

    func book() -> [String: Any] {
        var view: [String: Any] = [
            "title": manifest.title,
            "publisher": manifest.publisher,
            "language": manifest.language,
            "name": manifest.name,
            "trim": manifest.trim.description,
            "trim_name": manifest.trim.name,
            "notes_at_end": manifest.notes == .end,
        ]
        if let subtitle = manifest.subtitle { view["subtitle"] = subtitle }
        if let editor = manifest.editor { view["editor"] = editor }
        if let year = manifest.year { view["year"] = year }
        if let isbn = manifest.isbn { view["isbn"] = isbn }
        if let cip = manifest.cip {
            view["cip_lines"] = cip.split(separator: "\n").map { ["text": String($0)] }
            view["has_cip"] = true
        }
        if let edition = manifest.edition { view["edition"] = edition }
        return view
    }

    func render(_ format: BookFormat) -> RenderedBook {
        var tally = Tally()
        var parts: [[String: Any]] = []
        var toc: [[String: Any]] = []
        var bodyStarted = false
        var appendixNumber = 0
        var sectionNumber = 0 // sections count from 0 in `documents`, from 1 in ids
        var book = book()

        func markBodyStart(_ part: inout [String: Any]) {
            if !bodyStarted { part["body_start"] = true; bodyStarted = true }
        }

        for part in manifest.parts {
            switch part {
            case .cover: parts.append(["cover": true])
            case .halfTitle: parts.append(["half_title": true])
            case .copyright: parts.append(["copyright": true])
            case .contents(let title): parts.append(["contents": ["title": title, "id": "contents"] as [String: Any]])
            case .preface(let text):
                let view = textView(text, id: "preface", format: format, tally: &tally)
                parts.append(["preface": view])
                toc.append(["title": text.title, "href": "#preface", "level": 1, "front": true, "file": "preface.xhtml"])
            case .section(let section):
                let index = sectionNumber
                sectionNumber += 1
                var sectionArticles: [[String: Any]] = []
                var entries: [[String: Any]] = []
                for document in documents where document.sectionIndex == index {
                    let view = articleView(document, format: format, tally: &tally)
                    sectionArticles.append(view)
                    var entry: [String: Any] = ["title": document.header.title, "href": "#" + document.slug, "level": 2,
                                                "file": EPUBWriter.fileName(slug: document.slug)]
                    if case .paper(let paper) = document.kind { entry["authors_text"] = paper.authors.map(\.name).joined(separator: "　") }
                    entries.append(entry)
                }
                let id = "section-\(index + 1)"
                var view: [String: Any] = ["id": id, "title": section.title, "number": index + 1, "articles": sectionArticles]
                markBodyStart(&view)
                parts.append(["section": view])
                toc.append(["title": section.title, "href": "#" + id, "level": 1, "section": true, "file": "\(id).xhtml"])
                toc += entries
            case .appendix(let appendix):
                appendixNumber += 1
                let id = "appendix-\(appendixNumber)"
                var view: [String: Any] = ["id": id, "title": appendix.title]
                switch appendix.content {
                case .slogans(let sets):
                    view["slogan_sets"] = sets.map { set -> [String: Any] in
                        var item: [String: Any] = ["title": set.title, "theme": set.theme,
                                                   "slogans": set.slogans.enumerated().map { ["number": $0.offset + 1, "text": $0.element] as [String: Any] }]
                        if let year = set.year { item["year"] = year }
                        // An appendix titled after its campaign need not repeat the title.
                        if !appendix.title.contains(set.title) { item["show_title"] = true }
                        if let source = set.source { item["source"] = source }
                        return item
                    }
                case .text(let text):
                    let rendered = textView(text, id: id, format: format, tally: &tally)
                    view["content"] = rendered["content"]
                }
                markBodyStart(&view)
                parts.append(["appendix": view])
                toc.append(["title": appendix.title, "href": "#" + id, "level": 1, "file": "\(id).xhtml"])
            case .authorIndex(let title):
                var view: [String: Any] = ["id": "author-index", "title": title, "groups": authorIndex(format)]
                markBodyStart(&view)
                parts.append(["author_index": view])
                toc.append(["title": title, "href": "#author-index", "level": 1, "file": "author-index.xhtml"])
            }
        }
        if let cover = manifest.cover, let file = resolver(format).staticFiles[cover] {
            book["cover_image"] = URLPath.encode(BookImages.file(cover, format: format))
            tally.images.insert(BookImage(contentPath: cover, file: file, sourcePath: manifest.sourcePath, line: nil,
                                          fullBleed: true, label: "封面"), at: 0)
        }
        book["word_count_k"] = max(1, (tally.words + 999) / 1000)
        let view: [String: Any] = ["book": book, "parts": parts, "toc": toc, "lang": manifest.language]
        return RenderedBook(view: view, diagnostics: tally.diagnostics, wordCount: tally.words, resources: tally.resources,
                            images: tally.images)
    }

    private func textView(_ text: AnthologyText, id: String, format: BookFormat, tally: inout Tally) -> [String: Any] {
        let (rendered, problems) = render(text.body, sourcePath: text.sourcePath, contentPath: text.contentRelativePath,
                                          firstLine: text.bodyFirstLine, slug: id, format: format)
        tally.add(rendered, problems, source: MarkdownSource(path: text.sourcePath, contentPath: text.contentRelativePath,
                                                             body: text.body, firstLine: text.bodyFirstLine), resolver: resolver(format))
        var view: [String: Any] = ["id": id, "title": text.title, "content": rendered.html]
        if let signature = text.signature { view["signature"] = signature }
        if let date = text.date { view["date"] = date }
        return view
    }

    private func articleView(_ document: BookDocument, format: BookFormat, tally: inout Tally) -> [String: Any] {
        let header = document.header
        var paper: Paper?
        if case .paper(let cited) = document.kind { paper = cited }
        let (rendered, problems) = render(header.body, sourcePath: header.sourcePath, contentPath: header.contentRelativePath,
                                          firstLine: header.bodyFirstLine, slug: document.slug, format: format, paper: paper)
        let statistics = tally.add(rendered, problems, source: MarkdownSource(path: header.sourcePath, contentPath: header.contentRelativePath,
                                                                              body: header.body, firstLine: header.bodyFirstLine),
                                   resolver: resolver(format))
        var view: [String: Any] = [
            "id": document.slug,
            "slug": document.slug,
            "title": header.title,
            "content": rendered.html,
            "file": EPUBWriter.fileName(slug: document.slug),
            "word_count": statistics.wordCount,
            // Byte search: Foundation's `contains` folds Unicode, a tenth of a big book's HTML time.
            "has_notes": ["class=\"footnotes\"", "class=\"footnote\""].contains { ByteSearch.contains(rendered.html, $0) },
        ]
        if let date = header.date { view["date"] = date.chinese; view["date_iso"] = date.iso }
        switch document.kind {
        case .story(let story):
            if let cover = story.cover { view["cover_image"] = coverImage(cover, of: header, format: format, tally: &tally) }
            var detail: [String: Any] = ["company": story.company, "author": story.author, "industry": story.industry]
            if let summary = header.summary { detail["summary"] = summary }
            view["story"] = detail
            view["byline"] = "\(story.company)　\(story.author)"
        case .paper(let paper):
            var affiliations: [String] = []
            let authors: [[String: Any]] = paper.authors.map { author in
                if !affiliations.contains(author.affiliation) { affiliations.append(author.affiliation) }
                let number = (affiliations.firstIndex(of: author.affiliation) ?? 0) + 1
                return ["name": author.name, "affiliation": author.affiliation, "affiliation_number": number]
            }
            var detail: [String: Any] = [
                "authors": authors,
                "authors_text": paper.authors.map(\.name).joined(separator: "　"),
                "affiliations": affiliations.enumerated().map { ["number": $0.offset + 1, "name": $0.element] as [String: Any] },
                "abstract": paper.abstract,
            ]
            if !paper.keywords.isEmpty { detail["keywords_text"] = paper.keywords.joined(separator: "；") }
            view["paper"] = detail
            view["byline"] = paper.authors.map(\.name).joined(separator: "　")
        }
        return view
    }

    /// A story's `cover:` image as the article's first picture; a missing file is an error at the field's line.
    private func coverImage(_ cover: String, of header: DocumentHeader, format: BookFormat, tally: inout Tally) -> String? {
        let resolver = resolver(format)
        let line = frontMatterLine("cover", of: header)
        switch resolver.resolve(cover, from: header.contentRelativePath, slug: header.slug) {
        case .broken(let message):
            tally.diagnostics.append(.error(header.sourcePath, line: line, "field 'cover': \(message)"))
            return nil
        case .replace(let url):
            guard let target = resolver.imageTarget(cover, from: header.contentRelativePath), let file = resolver.staticFiles[target] else { return nil }
            tally.images.append(BookImage(contentPath: target, file: file, sourcePath: header.sourcePath, line: line,
                                          label: "封面图 " + (target as NSString).lastPathComponent))
            return url
        case .keep:
            return nil
        }
    }

    /// The line of `key:` in a document's front matter, read from its file below `Content/`.
    private func frontMatterLine(_ key: String, of header: DocumentHeader) -> Int? {
        guard let any = site.staticFiles.first, any.sourceFile.hasSuffix(any.outputPath) else { return nil }
        let content = String(any.sourceFile.dropLast(any.outputPath.count))
        guard let text = try? String(contentsOfFile: content + header.contentRelativePath, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.prefix(max(0, header.bodyFirstLine - 1)).firstIndex { $0.hasPrefix(key + ":") }.map { $0 + 1 }
    }

    /// Authors of the book's papers, in pinyin order, grouped by the initial of their name.
    private func authorIndex(_ format: BookFormat) -> [[String: Any]] {
        struct Entry { var name: String; var affiliations: [String]; var papers: [BookDocument] }
        var entries: [String: Entry] = [:]
        for document in documents {
            guard case .paper(let paper) = document.kind else { continue }
            for author in paper.authors {
                var entry = entries[author.name] ?? Entry(name: author.name, affiliations: [], papers: [])
                if !entry.affiliations.contains(author.affiliation) { entry.affiliations.append(author.affiliation) }
                entry.papers.append(document)
                entries[author.name] = entry
            }
        }
        let chinese = Locale(identifier: "zh_CN")
        let sorted = entries.values.sorted { $0.name.compare($1.name, locale: chinese) == .orderedAscending }
        var groups: [(String, [[String: Any]])] = []
        for entry in sorted {
            let letter = Self.initial(entry.name)
            let view: [String: Any] = [
                "name": entry.name,
                "affiliations_text": entry.affiliations.joined(separator: "；"),
                "papers": entry.papers.map { document -> [String: Any] in
                    ["title": document.header.title, "href": format == .epub ? URLPath.encode(EPUBWriter.fileName(slug: document.slug)) : "#" + document.slug]
                },
            ]
            if groups.last?.0 == letter { groups[groups.count - 1].1.append(view) } else { groups.append((letter, [view])) }
        }
        return groups.map { ["letter": $0.0, "authors": $0.1] }
    }

    /// `冯雪` → `F`: the first letter of the name's pinyin.
    static func initial(_ name: String) -> String {
        let latin = name.applyingTransform(.mandarinToLatin, reverse: false)?.applyingTransform(.stripDiacritics, reverse: false) ?? name
        guard let first = latin.first(where: { $0.isLetter && $0.isASCII }) else { return "#" }
        return String(first).uppercased()
    }
}
