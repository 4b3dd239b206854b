import Foundation
import PressCore
import PressMarkdown
import PressModel

struct ParsedDocument: Sendable {
    var relativePath: String
    var document: Document?
    var diagnostics: [Diagnostic]
    /// The file's stamp when it was read from disk; nil when the document came from the cache.
    var stamp: FileStamp? = nil
    /// `ContentHash` of the bytes read.
    var hash: UInt64? = nil
    /// Read again because its stamp changed, but with the bytes the cache knows: its document is the cached one.
    var unchanged = false
}

/// Reads one Markdown file: decoding, front matter, the fields of its content type.
enum DocumentReader {
    /// `cached` is the previous build's entry for the file: when the bytes still hash the same, its document is taken.
    static func read(file: URL, relativePath: String, kind: ContentKind, cached: ContentCache.Entry? = nil) -> ParsedDocument {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            return ParsedDocument(relativePath: relativePath, document: nil, diagnostics: [.error(relativePath, "cannot read file: \(error.localizedDescription)")])
        }
        let hash = ContentHash.of(data)
        if let cached, cached.hash == hash {
            return ParsedDocument(relativePath: relativePath, document: cached.document, diagnostics: [], hash: hash, unchanged: true)
        }
        let (document, diagnostics) = parse(data, relativePath: relativePath, kind: kind)
        return ParsedDocument(relativePath: relativePath, document: document, diagnostics: diagnostics, hash: hash)
    }

    static func parse(_ data: Data, relativePath: String, kind: ContentKind) -> (Document?, [Diagnostic]) {
        let text: String
        switch SourceText.decode(data) {
        case .success(let decoded): text = decoded
        case .failure(let problem): return (nil, [SourceText.diagnostic(for: problem, file: relativePath)])
        }
        let frontMatter: FrontMatter
        do {
            frontMatter = try FrontMatter.split(text)
        } catch .missing {
            return (nil, [.error(relativePath, line: 1, "missing front matter: the file must start with a line '---', the fields, and another '---'")])
        } catch {
            return (nil, [.error(relativePath, line: 1, "front matter is not closed: add a line '---' after the last field")])
        }
        var fields: YAMLFields
        switch YAMLFields.parse(frontMatter.yaml, file: relativePath, firstLine: frontMatter.yamlFirstLine) {
        case .success(let parsed): fields = parsed
        case .failure(let diagnostic): return (nil, [diagnostic])
        }

        let fileName = (relativePath as NSString).lastPathComponent
        let baseName = (fileName as NSString).deletingPathExtension
        let title = fields.string("title", required: true)
        let slug = readSlug(&fields, fallback: baseName)
        let date = fields.date("date", required: kind != .page)
        let tags = fields.strings("tags")
        checkTagLengths(tags, &fields)
        let summary = fields.string("summary", required: kind == .story)
        let draft = fields.bool("draft")
        let header = DocumentHeader(kind: kind, sourcePath: relativePath, slug: slug ?? Slug.make(baseName), title: title ?? baseName,
                                    date: date, tags: tags, summary: summary, draft: draft,
                                    body: frontMatter.body, bodyFirstLine: frontMatter.bodyFirstLine)
        let document: Document
        switch kind {
        case .story:
            let company = fields.string("company", required: true)
            let author = fields.string("author", required: true)
            let industry = fields.string("industry", required: true)
            let cover = fields.string("cover")
            document = .story(BrandStory(header: header, company: company ?? "", author: author ?? "",
                                         industry: industry ?? "", cover: cover))
        case .paper:
            let authors = fields.records("authors", required: true) { author -> PaperAuthor? in
                let name = author.string("name", required: true)
                let affiliation = author.string("affiliation", required: true)
                guard let name, let affiliation else { return nil }
                return PaperAuthor(name: name, affiliation: affiliation)
            }
            let abstract = fields.string("abstract", required: true)
            let keywords = fields.strings("keywords")
            var paper = Paper(header: header, authors: authors, abstract: abstract ?? "", keywords: keywords)
            paper.bibliography = bibliographySources(&fields, paperPath: relativePath)
            document = .paper(paper)
        case .page:
            let number = fields.string("doc_number")
            let issuers = fields.strings("issuers")
            document = .page(Page(header: header, documentNumber: number, issuers: issuers))
        }
        fields.rejectUnknownFields()
        var diagnostics = fields.diagnostics
        if let problem = MarkdownLimits.problem(in: frontMatter.body, file: relativePath, firstLine: frontMatter.bodyFirstLine) {
            diagnostics.append(problem)
        }
        return (diagnostics.hasErrors ? nil : document, diagnostics)
    }

    /// `bibliography: refs.bib` or a list, relative to the paper, as paths relative to the site root.
    /// Only `.json`, `.bib` and `.ris` are bibliography files.
    private static func bibliographySources(_ fields: inout YAMLFields, paperPath: String) -> [BibliographySource] {
        let folder = (paperPath as NSString).deletingLastPathComponent
        return fields.locatedStrings("bibliography").compactMap { text, location in
            guard ["json", "bib", "bibtex", "ris"].contains((text as NSString).pathExtension.lowercased()) else {
                fields.report(at: location, "bibliography '\(text)' is not a .json (CSL-JSON), .bib (BibTeX) or .ris file")
                return nil
            }
            let path = ((folder as NSString).appendingPathComponent(text) as NSString).standardizingPath
            return BibliographySource(path: path, location: location)
        }
    }

    /// The slug written in the front matter, or the one made from the file name. Either becomes a folder
    /// name, so both are held to `Slug.maxBytes` here rather than failing when the page is written.
    private static func readSlug(_ fields: inout YAMLFields, fallback: String) -> String? {
        guard let slug = fields.string("slug") else {
            let made = Slug.make(fallback)
            if made.utf8.count > Slug.maxBytes {
                fields.report(at: SourceLocation(file: fields.file, line: 1),
                              "the file name makes a slug of \(made.utf8.count) bytes; a slug may have at most \(Slug.maxBytes) bytes in UTF-8 (80 Chinese characters): add a shorter 'slug'")
                return nil
            }
            return made.isEmpty ? nil : made
        }
        if let problem = Slug.problem(with: slug) {
            fields.report(field: "slug", problem)
            return nil
        }
        return slug
    }

    /// Each tag has a page `/tags/<slug>/`, whose folder name has the same limit as a slug.
    private static func checkTagLengths(_ tags: [String], _ fields: inout YAMLFields) {
        for tag in tags where Slug.make(tag).utf8.count > Slug.maxBytes {
            fields.report(field: "tags", "tag \(Diagnostic.quote(tag)) is too long for its page's folder name; a tag may have at most \(Slug.maxBytes) bytes in UTF-8 (80 Chinese characters)")
        }
    }
}
