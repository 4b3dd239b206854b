import Foundation
import PressCore
import PressModel
import PressTemplates
import ZIPFoundation

/// EPUB 3: one XHTML file per part of the book, a navigation document, a package document,
/// zipped with `mimetype` first and stored, as the OCF container requires.
/// The package, container and navigation are fixed formats written here; the pages are themed.
struct EPUBWriter {
    let manifest: AnthologyManifest
    let theme: Theme
    /// The book's date (`BookDate`), never the clock: `dcterms:modified` and the zip entries' times, so the
    /// same book zips to the same bytes.
    let modified: BookDate

    static func fileName(slug: String) -> String { "\(slug).xhtml" }
    /// Where a static file of `Content/` goes in the package, and the link to it from a page.
    static func resourceFile(_ contentPath: String) -> String { "resources/" + contentPath }
    static func resourcePath(_ contentPath: String) -> String { URLPath.encode(resourceFile(contentPath)) }

    struct Page {
        var file: String
        var title: String
        var view: [String: Any]
    }

    /// The pages in reading order, from the book rendered for EPUB.
    func pages(_ rendered: RenderedBook) -> [Page] {
        let book = rendered.view["book"] as? [String: Any] ?? [:]
        var pages: [Page] = []
        for part in rendered.view["parts"] as? [[String: Any]] ?? [] {
            if part["cover"] != nil || part["half_title"] != nil {
                if !pages.contains(where: { $0.file == "title.xhtml" }) {
                    pages.append(Page(file: "title.xhtml", title: manifest.title, view: ["title_page": true]))
                }
            } else if part["copyright"] != nil {
                pages.append(Page(file: "copyright.xhtml", title: "版权页", view: ["copyright": true]))
            } else if let preface = part["preface"] as? [String: Any] {
                pages.append(Page(file: "preface.xhtml", title: preface["title"] as? String ?? "", view: ["preface": preface]))
            } else if let section = part["section"] as? [String: Any] {
                let id = section["id"] as? String ?? "section"
                pages.append(Page(file: "\(id).xhtml", title: section["title"] as? String ?? "", view: ["section": section]))
                for article in section["articles"] as? [[String: Any]] ?? [] {
                    pages.append(Page(file: article["file"] as? String ?? "", title: article["title"] as? String ?? "", view: ["article": article]))
                }
            } else if let appendix = part["appendix"] as? [String: Any] {
                let id = appendix["id"] as? String ?? "appendix"
                pages.append(Page(file: "\(id).xhtml", title: appendix["title"] as? String ?? "", view: ["appendix": appendix]))
            } else if let index = part["author_index"] as? [String: Any] {
                pages.append(Page(file: "author-index.xhtml", title: index["title"] as? String ?? "", view: ["author_index": index]))
            }
        }
        return pages.map { page in
            var page = page
            page.view["book"] = book
            page.view["lang"] = manifest.language
            page.view["page_title"] = page.title
            return page
        }
    }

    /// Writes the `.epub` file: `resources` are files to pack as they are (package path → file on disk),
    /// `files` made ones (the images); `coverImage` is the package path of the cover's image.
    func write(_ rendered: RenderedBook, to file: URL, resources: [String: String], files: [String: Data] = [:],
               coverImage: String? = nil) throws {
        let pages = pages(rendered)
        var entries: [(String, Data)] = [
            ("META-INF/container.xml", Data(Self.container.utf8)),
            ("EPUB/style.css", Data((theme.resourceText("epub/epub.css") ?? "").utf8)),
            ("EPUB/nav.xhtml", Data(navigation(rendered).utf8)),
        ]
        for page in pages {
            entries.append(("EPUB/" + page.file, Data(theme.render(page.view, template: "epub/page").utf8)))
        }
        for (path, source) in resources.sorted(by: { $0.key < $1.key }) {
            if let data = FileManager.default.contents(atPath: source) { entries.append(("EPUB/" + path, data)) }
        }
        for (path, data) in files.sorted(by: { $0.key < $1.key }) { entries.append(("EPUB/" + path, data)) }
        let packed = (Array(resources.keys) + files.keys).sorted()
        entries.append(("EPUB/package.opf", Data(package(pages, resources: packed, coverImage: coverImage).utf8)))

        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
        let archive = try Archive(url: file, accessMode: .create)
        let date = modified.date // ZIPFoundation writes it as UTC (gmtime): the same bytes in every time zone
        let mimetype = Data("application/epub+zip".utf8)
        try archive.addEntry(with: "mimetype", type: .file, uncompressedSize: Int64(mimetype.count), modificationDate: date,
                             compressionMethod: .none) { position, size in
            mimetype.subdata(in: Int(position)..<Int(position) + size)
        }
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    static let container = """
    <?xml version="1.0" encoding="UTF-8"?>
    <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
      <rootfiles>
        <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
      </rootfiles>
    </container>

    """

    private func x(_ text: String) -> String { HTMLEscaping.attribute(text) }

    func package(_ pages: [Page], resources: [String], coverImage: String? = nil) -> String {
        let identifier = manifest.isbn.map { "urn:isbn:" + $0.filter { $0.isNumber || $0 == "X" } } ?? "urn:qualitypress:\(manifest.name)"
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="\(x(manifest.language))">
          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:identifier id="book-id">\(x(identifier))</dc:identifier>
            <dc:title>\(x(manifest.title))</dc:title>
            <dc:language>\(x(manifest.language))</dc:language>
            <dc:creator>\(x(Self.creator(manifest)))</dc:creator>
            <dc:publisher>\(x(manifest.publisher))</dc:publisher>

        """
        if let subtitle = manifest.subtitle { xml += "    <dc:description>\(x(subtitle))</dc:description>\n" }
        if let year = manifest.year { xml += "    <dc:date>\(year)</dc:date>\n" }
        xml += "    <meta property=\"dcterms:modified\">\(modified.iso)</meta>\n  </metadata>\n  <manifest>\n"
        xml += "    <item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
        xml += "    <item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n"
        for (index, page) in pages.enumerated() {
            xml += "    <item id=\"page-\(index + 1)\" href=\"\(x(URLPath.encode(page.file)))\" media-type=\"application/xhtml+xml\"/>\n"
        }
        for (index, path) in resources.enumerated() {
            let cover = path == coverImage ? " properties=\"cover-image\"" : ""
            xml += "    <item id=\"resource-\(index + 1)\" href=\"\(x(URLPath.encode(path)))\" media-type=\"\(Self.mediaType(path))\"\(cover)/>\n"
        }
        xml += "  </manifest>\n  <spine>\n"
        for index in pages.indices { xml += "    <itemref idref=\"page-\(index + 1)\"/>\n" }
        return xml + "  </spine>\n</package>\n"
    }

    /// The navigation document: the book's table of contents, sections holding their articles.
    func navigation(_ rendered: RenderedBook) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="\(x(manifest.language))" lang="\(x(manifest.language))">
        <head>
        <meta charset="utf-8"/>
        <title>目录</title>
        <link rel="stylesheet" href="style.css"/>
        </head>
        <body>
        <nav epub:type="toc" id="toc">
        <h1>目录</h1>
        <ol>

        """
        var items: [(link: String, children: [String])] = []
        for entry in rendered.view["toc"] as? [[String: Any]] ?? [] {
            let link = "<a href=\"\(x(URLPath.encode(entry["file"] as? String ?? "")))\">\(HTMLEscaping.text(entry["title"] as? String ?? ""))</a>"
            if entry["level"] as? Int == 2, !items.isEmpty {
                items[items.count - 1].children.append(link)
            } else {
                items.append((link, []))
            }
        }
        for item in items {
            xml += "<li>" + item.link
            if !item.children.isEmpty { xml += "\n<ol>\n" + item.children.map { "<li>\($0)</li>\n" }.joined() + "</ol>\n" }
            xml += "</li>\n"
        }
        xml += "</ol>\n</nav>\n</body>\n</html>\n"
        return xml
    }

    /// `中国机械工业质量管理协会　编` → `中国机械工业质量管理协会`: metadata wants the name, not the credit line.
    static func creator(_ manifest: AnthologyManifest) -> String {
        guard var name = manifest.editor else { return manifest.publisher }
        for suffix in ["主编", "编著", "编"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        name = name.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? manifest.publisher : name
    }

    static func mediaType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "css": return "text/css"
        default: return "application/octet-stream"
        }
    }
}
