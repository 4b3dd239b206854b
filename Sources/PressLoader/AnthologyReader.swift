import Foundation
import PressCore
import PressMarkdown
import PressModel

/// Reads `Content/anthologies/<name>.yml` into an `AnthologyManifest`, checking every field,
/// every file it names and every section against the loaded content. Problems carry the
/// manifest's line and column: `Content/anthologies/x.yml:7:5: error: unknown field 'colour' …`.
struct AnthologyReader {
    /// The site root, to read prefaces and appendices from.
    let siteRoot: URL
    let siteLanguage: String
    /// Every parsed document by path below `Content/` (`stories/a.md`), drafts included.
    let documents: [String: DocumentHeader]
    let includeDrafts: Bool
    let slogans: [SloganSet]

    static let partTypes = ["cover", "half_title", "copyright", "preface", "contents", "section", "appendix", "author_index"]

    func read(file: URL, relativePath: String) -> (AnthologyManifest?, [Diagnostic]) {
        do {
            return read(data: try Data(contentsOf: file), relativePath: relativePath)
        } catch {
            return (nil, [.error(relativePath, "cannot read file: \(error.localizedDescription)")])
        }
    }

    /// The manifest's bytes, already read.
    func read(data: Data, relativePath: String) -> (AnthologyManifest?, [Diagnostic]) {
        var fields: YAMLFields
        switch Self.parse(data, relativePath: relativePath) {
        case .success(let parsed): fields = parsed
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        var extra: [Diagnostic] = []
        let book = readBook(&fields)
        let print = readPrint(&fields)
        let cover = readCover(&fields)
        var placed: [String: String] = [:] // document → section title, to refuse duplicates
        let parts: [AnthologyPart] = fields.entries("parts", required: true, word: { Self.simplePart($0) }, unknownWord: { word in
            Self.partTypes.contains(word)
                ? "part \(Diagnostic.quote(word)) needs fields; write it as a mapping with 'type: \(Diagnostic.clipped(word))'"
                : "unknown part \(Diagnostic.quote(word)) (known parts: \(Self.partTypes.joined(separator: ", ")))"
        }, mapping: { part in
            readPart(&part, placed: &placed, extra: &extra)
        })
        fields.rejectUnknownFields()

        if fields.has("parts") && !parts.contains(where: { if case .section = $0 { return true } else { return false } })
            && !fields.diagnostics.hasErrors {
            fields.report(at: fields.location(of: "parts"), "an anthology needs at least one part of type 'section'")
        }
        let diagnostics = fields.diagnostics + extra
        guard let title = book.title, let publisher = book.publisher, !diagnostics.hasErrors else { return (nil, diagnostics) }
        let name = (relativePath as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "").replacingOccurrences(of: ".yml", with: "")
        var manifest = AnthologyManifest(name: name, sourcePath: relativePath, title: title, subtitle: book.subtitle, editor: book.editor,
                                         publisher: publisher, year: book.year, isbn: book.isbn, cip: book.cip, edition: book.edition,
                                         language: book.language, trim: print.trim, bleed: print.bleed, cropMarks: print.cropMarks,
                                         notes: print.notes, parts: parts)
        manifest.signature = print.signature
        manifest.citationStyle = print.citationStyle
        manifest.colorProfile = print.colorProfile
        manifest.bodyFont = print.bodyFont
        manifest.headingFont = print.headingFont
        manifest.cover = cover
        manifest.strict = print.strict
        manifest.margins = print.margins
        return (manifest, diagnostics)
    }

    /// The manifest's text as YAML fields that report line and column.
    private static func parse(_ data: Data, relativePath: String) -> Result<YAMLFields, Diagnostic> {
        switch SourceText.decode(data) {
        case .success(let text):
            return YAMLFields.parse(text, file: relativePath, firstLine: 1).map { parsed in
                var fields = parsed
                fields.reportsColumns = true
                return fields
            }
        case .failure(let problem): return .failure(SourceText.diagnostic(for: problem, file: relativePath))
        }
    }

    /// The parts that need no fields: a bare word in `parts`, or a mapping's `type` (which may give a title).
    static func simplePart(_ type: String, title: String? = nil) -> AnthologyPart? {
        switch type {
        case "cover": return .cover
        case "half_title": return .halfTitle
        case "copyright": return .copyright
        case "contents": return .contents(title: title ?? "目　录")
        case "author_index": return .authorIndex(title: title ?? "作者索引")
        default: return nil
        }
    }

    private struct BookFields {
        var title, subtitle, editor, publisher: String?
        var year: Int?
        var isbn, cip, edition: String?
        var language: String
    }

    /// The title page's and copyright page's fields.
    private func readBook(_ fields: inout YAMLFields) -> BookFields {
        let title = fields.string("title", required: true)
        let subtitle = fields.string("subtitle")
        let editor = fields.string("editor")
        let publisher = fields.string("publisher", required: true)
        let year = fields.int("year", range: 1900...3000)
        let isbn = fields.string("isbn")
        if let isbn, let problem = Self.isbnProblem(isbn) { fields.report(at: fields.location(of: "isbn"), problem) }
        return BookFields(title: title, subtitle: subtitle, editor: editor, publisher: publisher, year: year, isbn: isbn,
                          cip: fields.string("cip"), edition: fields.string("edition"), language: fields.string("language") ?? siteLanguage)
    }

    private struct PrintFields {
        var trim = TrimSize(name: "16开", width: 185, height: 260)
        var bleed = 3.0
        var cropMarks = true
        var notes = NotePlacement.page
        var citationStyle: String?
        var signature = 4
        var colorProfile = AnthologyManifest.defaultColorProfile
        var bodyFont = AnthologyManifest.defaultBodyFont
        var headingFont = AnthologyManifest.defaultHeadingFont
        var strict = false
        var margins: PageMargins?
    }

    /// Page size, bleed, notes, signatures, colour profile and fonts.
    private func readPrint(_ fields: inout YAMLFields) -> PrintFields {
        var print = PrintFields()
        print.trim = TrimSize.named["16开"] ?? print.trim
        if let text = fields.string("trim") {
            if let parsed = TrimSize.parse(text) {
                print.trim = parsed
            } else {
                let names = TrimSize.named.keys.sorted().joined(separator: ", ")
                fields.report(at: fields.location(of: "trim"), "field 'trim' must be one of \(names) or width×height in millimetres (e.g. 185×260), not \(Diagnostic.quote(text))")
            }
        }
        if let text = fields.scalarText("bleed"), ["false", "no", "off"].contains(text.lowercased()) {
            print.bleed = 0
        } else if let value = fields.decimal("bleed", range: 0...10) {
            print.bleed = value
        }
        print.cropMarks = fields.bool("crop_marks", default: true)
        if let text = fields.string("notes") {
            if let placement = NotePlacement(rawValue: text) {
                print.notes = placement
            } else {
                fields.report(at: fields.location(of: "notes"), "field 'notes' must be 'page' (foot of the page) or 'end' (end of each article), not \(Diagnostic.quote(text))")
            }
        }
        print.citationStyle = fields.string("citation_style")
        if let style = print.citationStyle, !["numeric", "author-date"].contains(style) {
            fields.report(at: fields.location(of: "citation_style"), "field 'citation_style' must be 'numeric' (顺序编码制) or 'author-date' (著者-出版年制), not '\(style)'")
        }
        print.signature = fields.int("signature", default: 4, range: 1...64) ?? 4
        print.colorProfile = readColorProfile(&fields)
        print.bodyFont = fields.string("body_font") ?? AnthologyManifest.defaultBodyFont
        print.headingFont = fields.string("heading_font") ?? AnthologyManifest.defaultHeadingFont
        for (key, font) in [("body_font", print.bodyFont), ("heading_font", print.headingFont)] where font.contains(where: { "\"';{}<>\\".contains($0) }) {
            fields.report(at: fields.location(of: key), "field \(Diagnostic.quote(key)) must be a font family name without quotes, semicolons or braces, not \(Diagnostic.quote(font))")
        }
        print.strict = fields.bool("strict", default: false)
        print.margins = readMargins(&fields)
        return print
    }

    private func readMargins(_ fields: inout YAMLFields) -> PageMargins? {
        guard let text = fields.string("margins") else { return nil }
        guard let margins = PageMargins.parse(text) else {
            fields.report(at: fields.location(of: "margins"), "field 'margins' must be four lengths in millimetres, top, outside, bottom and inside (gutter), each 5–80, e.g. '22 18 20 22', not \(Diagnostic.quote(text))")
            return nil
        }
        return margins
    }

    private func readColorProfile(_ fields: inout YAMLFields) -> String {
        var colorProfile = fields.string("color_profile") ?? AnthologyManifest.defaultColorProfile
        if !colorProfile.hasPrefix("/") { colorProfile = siteRoot.appendingPathComponent(colorProfile).path }
        if !FileManager.default.fileExists(atPath: colorProfile) {
            let key = fields.has("color_profile") ? "color_profile" : "title"
            fields.report(at: fields.location(of: key),
                          "the CMYK colour profile \(colorProfile) does not exist (field 'color_profile'; the default comes with Debian's libgs-common, see install-deps.sh)")
        }
        return colorProfile
    }

    private func readCover(_ fields: inout YAMLFields) -> String? {
        guard let path = fields.string("cover").map({ $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }) else { return nil }
        guard FileManager.default.fileExists(atPath: siteRoot.appendingPathComponent("Content/" + path).path) else {
            fields.report(at: fields.location(of: "cover"), "the cover image Content/\(path) does not exist (field 'cover', a path below Content/)")
            return nil
        }
        return path
    }

    private func readPart(_ part: inout YAMLFields, placed: inout [String: String], extra: inout [Diagnostic]) -> AnthologyPart? {
        guard let type = part.string("type", required: true) else { return nil }
        if let simple = Self.simplePart(type, title: ["contents", "author_index"].contains(type) ? part.string("title") : nil) {
            return simple
        }
        switch type {
        case "preface":
            let title = part.string("title")
            guard let path = part.string("file", required: true) else { return nil }
            guard var text = readText(path, at: part.location(of: "file"), into: &extra, fields: &part) else { return nil }
            if let title { text.title = title }
            return .preface(text)
        case "section":
            return readSection(&part, placed: &placed).map(AnthologyPart.section)
        case "appendix":
            let title = part.string("title", required: true)
            var content: AnthologyAppendix.Content?
            let hasSlogans = part.has("slogans"), hasFile = part.has("file")
            if hasSlogans == hasFile {
                part.report(at: part.location, "an appendix needs exactly one of 'slogans' (true, or a year) and 'file' (a Markdown file)")
            } else if hasSlogans {
                content = readSlogans(&part)
            } else if let path = part.string("file", required: true) {
                content = readText(path, at: part.location(of: "file"), into: &extra, fields: &part).map(AnthologyAppendix.Content.text)
            }
            guard let title, let content else { return nil }
            return .appendix(AnthologyAppendix(title: title, content: content))
        default:
            part.report(at: part.location(of: "type"), "unknown part \(Diagnostic.quote(type)) (known parts: \(Self.partTypes.joined(separator: ", ")))")
            return nil
        }
    }

    private func readSection(_ part: inout YAMLFields, placed: inout [String: String]) -> AnthologySection? {
        let title = part.string("title", required: true) ?? ""
        let hasFiles = part.has("files"), hasSelect = part.has("select")
        guard hasFiles != hasSelect else {
            part.report(at: part.location, "section \(Diagnostic.quote(title)) needs exactly one of 'files' (a list of content files) and 'select' (type, tags, sort)")
            return nil
        }
        var chosen: [String] = []
        if hasFiles {
            for (path, location) in part.locatedStrings("files") {
                let normalized = ContentLink.normalize(directory: [], relative: path) ?? path
                guard let header = documents[normalized] else {
                    part.report(at: location, "file \(Diagnostic.quote(path)) does not exist (Content/\(Diagnostic.clipped(normalized))); paths are relative to Content/")
                    continue
                }
                guard header.kind == .story || header.kind == .paper else {
                    part.report(at: location, "file \(Diagnostic.quote(path)) is a \(header.kind.displayName); a section holds stories and papers")
                    continue
                }
                if header.draft && !includeDrafts {
                    part.report(at: location, "file \(Diagnostic.quote(path)) is a draft (draft: true); remove it from the section or publish it")
                    continue
                }
                if let other = placed[normalized] {
                    part.report(at: location, "file \(Diagnostic.quote(path)) is already in section \(Diagnostic.quote(other))")
                    continue
                }
                placed[normalized] = title
                chosen.append(normalized)
            }
        } else if let selector = part.nested("select", { readSelector(&$0) }) {
            chosen = selector.filter { placed[$0] == nil }
            for path in chosen { placed[path] = title }
        }
        if chosen.isEmpty && !part.diagnostics.hasErrors {
            let what = hasFiles ? "lists no files" : "selects no documents (those chosen by earlier sections are left out)"
            part.report(at: part.location(of: hasFiles ? "files" : "select"), "section \(Diagnostic.quote(title)) is empty: it \(what)")
        }
        return AnthologySection(title: title, documents: chosen)
    }

    /// `select: {type: stories, tags: [品牌建设], sort: date}`: documents of one type having any of the tags.
    private func readSelector(_ fields: inout YAMLFields) -> [String]? {
        let typeName = fields.string("type", required: true)
        let tags = fields.strings("tags")
        let sort = fields.string("sort") ?? "date"
        let sorts = ["date", "-date", "title", "file"]
        guard sorts.contains(sort) else {
            fields.report(at: fields.location(of: "sort"), "field 'sort' must be one of \(sorts.joined(separator: ", ")), not \(Diagnostic.quote(sort))")
            return nil
        }
        guard let typeName else { return nil }
        guard let kind = ContentKind(rawValue: typeName), kind != .page else {
            fields.report(at: fields.location(of: "type"), "field 'type' must be 'stories' or 'papers', not \(Diagnostic.quote(typeName))")
            return nil
        }
        let matching = documents.values.filter { header in
            header.kind == kind && (includeDrafts || !header.draft) && (tags.isEmpty || header.tags.contains(where: tags.contains))
        }
        let sorted = matching.sorted { a, b in
            switch sort {
            case "-date": return (a.date ?? .distantPast, b.contentRelativePath) > (b.date ?? .distantPast, a.contentRelativePath)
            case "title": return (a.title, a.contentRelativePath) < (b.title, b.contentRelativePath)
            case "file": return a.contentRelativePath < b.contentRelativePath
            default: return (a.date ?? .distantPast, a.contentRelativePath) < (b.date ?? .distantPast, b.contentRelativePath)
            }
        }
        return sorted.map(\.contentRelativePath)
    }

    /// `slogans: true` (every campaign, newest first) or `slogans: 2020` (that year's).
    private func readSlogans(_ fields: inout YAMLFields) -> AnthologyAppendix.Content? {
        let text = fields.scalarText("slogans") ?? ""
        let chosen: [SloganSet]
        if ["true", "yes", "on"].contains(text.lowercased()) {
            chosen = slogans
        } else if let year = Int(text) {
            chosen = slogans.filter { $0.year == year }
        } else {
            fields.report(at: fields.location(of: "slogans"), "field 'slogans' must be true (every campaign) or a year, not \(Diagnostic.quote(text))")
            return nil
        }
        guard !chosen.isEmpty else {
            fields.report(at: fields.location(of: "slogans"), "no slogans for \(Diagnostic.quote(text)) in Content/slogans.yml or Content/slogans/")
            return nil
        }
        return .slogans(chosen)
    }

    /// A preface or appendix: Markdown with optional front matter (`title`, `signature`, `date`).
    private func readText(_ path: String, at location: SourceLocation, into extra: inout [Diagnostic], fields: inout YAMLFields) -> AnthologyText? {
        guard let normalized = ContentLink.normalize(directory: [], relative: path), ContentLink.isMarkdown(normalized) else {
            fields.report(at: location, "file \(Diagnostic.quote(path)) must be a Markdown file below Content/ (e.g. anthologies/preface.md)")
            return nil
        }
        let relativePath = "Content/" + normalized
        guard let data = FileManager.default.contents(atPath: siteRoot.appendingPathComponent(relativePath).path) else {
            fields.report(at: location, "file \(Diagnostic.quote(path)) does not exist (\(Diagnostic.clipped(relativePath))); paths are relative to Content/")
            return nil
        }
        let text: String
        switch SourceText.decode(data) {
        case .success(let decoded): text = decoded
        case .failure(let problem):
            extra.append(SourceText.diagnostic(for: problem, file: relativePath))
            return nil
        }
        if let problem = MarkdownLimits.problem(in: text, file: relativePath, firstLine: 1) {
            extra.append(problem)
            return nil
        }
        guard text.hasPrefix("---\n") else {
            return AnthologyText(sourcePath: relativePath, title: "前言", signature: nil, date: nil, body: text, bodyFirstLine: 1)
        }
        guard let split = try? FrontMatter.split(text) else {
            extra.append(.error(relativePath, line: 1, "front matter is not closed: add a line '---' after the last field"))
            return nil
        }
        var front: YAMLFields
        switch YAMLFields.parse(split.yaml, file: relativePath, firstLine: split.yamlFirstLine) {
        case .success(let parsed): front = parsed
        case .failure(let diagnostic):
            extra.append(diagnostic)
            return nil
        }
        let title = front.string("title") ?? "前言"
        let signature = front.string("signature")
        let date = front.string("date")
        front.rejectUnknownFields()
        extra += front.diagnostics
        return AnthologyText(sourcePath: relativePath, title: title, signature: signature, date: date,
                             body: split.body, bodyFirstLine: split.bodyFirstLine)
    }

    /// ISBN-13 (978/979, 13 digits, check digit) or ISBN-10; hyphens and spaces allowed.
    static func isbnProblem(_ isbn: String) -> String? {
        let digits = isbn.uppercased().filter { $0.isNumber || $0 == "X" }.compactMap { $0 == "X" ? 10 : $0.wholeNumberValue }
        if digits.count == 13 {
            let sum = digits.enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 1 : 3) }
            return sum % 10 == 0 ? nil : "ISBN \(Diagnostic.quote(isbn)) has a wrong check digit"
        }
        if digits.count == 10 {
            let sum = digits.enumerated().reduce(0) { $0 + $1.element * (10 - $1.offset) }
            return sum % 11 == 0 ? nil : "ISBN \(Diagnostic.quote(isbn)) has a wrong check digit"
        }
        return "ISBN \(Diagnostic.quote(isbn)) must have 13 digits (or 10)"
    }
}
