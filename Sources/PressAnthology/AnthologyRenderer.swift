public import Foundation
public import PressCore
public import PressImages
import PressMarkdown
public import PressModel
public import PressTemplates

/// What building one book produced.
public struct AnthologyReport: Sendable {
    public var name: String
    public var diagnostics: [Diagnostic] = []
    /// Paths written, relative to the output folder (`anthologies/x/x.pdf`).
    public var files: [String] = []
    /// Our part: Markdown, templates, web edition, EPUB, print HTML.
    public var htmlSeconds: Double = 0
    /// WeasyPrint's part; 0 with `--no-pdf`.
    public var pdfSeconds: Double = 0
    /// Taken unchanged from the previous output by an incremental build, not rendered.
    public var reused = false
    /// The PDFs left for later (`Options.deferPDF`); the web edition says they are being updated.
    public var pdfJob: PDFJob?
    /// Why the book was rendered (`Content/stories/a.md changed`), or `unchanged` when reused; nil when not asked.
    public var reason: String?

    public init(name: String, files: [String] = [], reused: Bool = false, reason: String? = nil) {
        self.name = name
        self.files = files
        self.reused = reused
        self.reason = reason
    }
}

/// Renders anthologies: the web edition (`anthologies/<name>/index.html`), the EPUB and, through
/// WeasyPrint, the print-ready PDF. Gets the content model, the theme and a destination; knows
/// nothing of the website's renderer.
public struct AnthologyRenderer: Sendable {
    public struct Options: Sendable {
        /// False skips WeasyPrint (`--no-pdf`).
        public var pdf: Bool
        /// Where WeasyPrint is; nil means it is not installed (an error when `pdf` is true).
        public var weasyPrint: WeasyPrint?
        /// Keep the print HTML beside the PDF (`<name>.print.html`), for looking at it in a browser
        /// (`QPRESS_KEEP_PRINT_HTML=1`).
        public var keepPrintHTML: Bool
        /// Also write a screen PDF for review (`<name>.proof.pdf`: RGB, no bleed, no marks; `--proof`).
        public var proof: Bool
        /// Seconds since 1970 that every book's dates become, as reproducible-build tools set it; nil or
        /// empty: the date comes from the content (see `BookDate`).
        public var sourceDateEpoch: String?
        /// Images too coarse for the press are errors, not warnings (`--strict`; a manifest's `strict: true`).
        public var strict: Bool
        /// Write everything but the PDFs and return them as `AnthologyReport.pdfJob` (`qpress serve`).
        public var deferPDF = false
        /// The site's web variants, when the site is built too: the screen editions take their image copies from them.
        public var siteVariants: SiteVariants?

        public init(pdf: Bool = true, weasyPrint: WeasyPrint? = WeasyPrint.locate(),
                    keepPrintHTML: Bool = ProcessInfo.processInfo.environment["QPRESS_KEEP_PRINT_HTML"] == "1",
                    proof: Bool = false,
                    sourceDateEpoch: String? = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], strict: Bool = false) {
            self.strict = strict
            self.pdf = pdf
            self.weasyPrint = weasyPrint
            self.keepPrintHTML = keepPrintHTML
            self.proof = proof
            self.sourceDateEpoch = sourceDateEpoch
        }
    }

    /// Templates and stylesheets the default theme provides and a site may override.
    public static let templates = ["print/book", "web/book", "epub/page"]
    public static let stylesheets = ["print/print.css", "web/book.css", "epub/epub.css"]

    public let site: Site
    public let theme: Theme
    public let options: Options

    public init(site: Site, theme: Theme, options: Options = Options()) {
        self.site = site
        self.theme = theme
        self.options = options
    }

    /// The folder of a book below the output folder.
    public static func folder(_ name: String) -> String { "anthologies/\(name)" }

    /// Builds every book of the site into `output`, in parallel (WeasyPrint runs are separate processes).
    public func renderAll(into output: URL) async -> [AnthologyReport] {
        await renderAll(site.anthologies, into: output)
    }

    /// Builds `manifests` into `output`, in parallel; those named in `keepingPDFs` without their PDFs (`renderKeepingPDF`).
    public func renderAll(_ manifests: [AnthologyManifest], keepingPDFs: Set<String> = [], into output: URL) async -> [AnthologyReport] {
        await withTaskGroup(of: AnthologyReport.self) { group in
            for manifest in manifests {
                group.addTask {
                    keepingPDFs.contains(manifest.name) ? await renderKeepingPDF(manifest, into: output) : await render(manifest, into: output)
                }
            }
            var reports: [AnthologyReport] = []
            for await report in group { reports.append(report) }
            return reports.sorted { $0.name < $1.name }
        }
    }

    /// Builds one book into `output/anthologies/<name>/`.
    public func render(_ manifest: AnthologyManifest, into output: URL) async -> AnthologyReport {
        await render(manifest, folder: output.appendingPathComponent(Self.folder(manifest.name)))
    }

    /// Builds one book into `folder` (which becomes `anthologies/<name>/` of the site).
    public func render(_ manifest: AnthologyManifest, folder: URL) async -> AnthologyReport {
        var report = AnthologyReport(name: manifest.name)
        let clock = ContinuousClock()
        let start = clock.now
        let missing = (Self.templates.filter { !theme.templateNames.contains($0) }.map { "Templates/\($0).mustache" }
            + Self.stylesheets.filter { theme.resources[$0] == nil }.map { "Templates/\($0)" })
        if !missing.isEmpty {
            report.diagnostics = missing.map { .error($0, "missing \($0) (not in the site's Templates/ nor in the default theme); anthology '\(manifest.name)' needs it") }
            return report
        }
        let views = BookViews(manifest: manifest, site: site)
        let printBook = views.render(.print)
        let webBook = views.render(.web)
        let epubBook = views.render(.epub)
        // Malformed bibliography files and entries missing fields: `qpress anthology` reads them itself.
        report.diagnostics += views.bibliographies.diagnostics + printBook.diagnostics
        let date: BookDate
        do {
            date = try BookDate.resolve(sourceDateEpoch: options.sourceDateEpoch, edition: manifest.edition,
                                        dates: views.documents.compactMap(\.header.date))
        } catch {
            report.diagnostics.append(.error(manifest.sourcePath, error.description))
            return report
        }
        if report.diagnostics.hasErrors { return report }

        let printHTML = printHTML(printBook, manifest: manifest, medium: .press)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data().write(to: folder.appendingPathComponent(StagingDirectory.markerName))
        } catch {
            report.diagnostics.append(.error(manifest.sourcePath, "cannot write anthology '\(manifest.name)': \(error.localizedDescription)"))
            return report
        }
        var documents: [PDFJob.Document] = []
        if options.pdf {
            documents = [pdfDocument(manifest, html: printHTML, images: printBook.images, medium: .press, date: date)]
            if options.proof {
                documents.append(pdfDocument(manifest, html: self.printHTML(printBook, manifest: manifest, medium: .screen), images: printBook.images,
                                             medium: .screen, date: date))
            }
        }
        // The PDFs wait for nothing the screen editions make: their print copies and WeasyPrint start now, beside them.
        async let printed = options.deferPDF ? PrintedPDFs() : makePDFs(manifest, documents, folder: folder)
        guard await writeScreenEditions(manifest, web: webBook, epub: epubBook, printHTML: printHTML, date: date,
                                        folder: folder, report: &report) else { return report }
        report.htmlSeconds = seconds(clock.now - start)
        guard options.pdf else { return report }
        if options.deferPDF {
            report.pdfJob = PDFJob(book: manifest.name, sourcePath: manifest.sourcePath, documents: documents,
                                   webEdition: webEdition(webBook, manifest: manifest), weasyPrint: options.weasyPrint)
            return report
        }
        let pdfs = await printed
        report.diagnostics += pdfs.diagnostics
        report.files += pdfs.files
        report.pdfSeconds = pdfs.seconds
        return report
    }

    /// The web edition (`index.html` and its images), the EPUB and, when kept, the print HTML, written into
    /// `folder`; false when the book cannot be finished (the report says why).
    private func writeScreenEditions(_ manifest: AnthologyManifest, web webBook: RenderedBook, epub epubBook: RenderedBook,
                                     printHTML: String, date: BookDate, folder: URL, report: inout AnthologyReport) async -> Bool {
        let folderPath = Self.folder(manifest.name)
        let epubName = "\(manifest.name).epub"
        do {
            guard let copies = try await writeScreenImages(epubBook.images, folder: folder, report: &report) else { return false }
            let web = webEdition(webBook, manifest: manifest, pdfPending: options.pdf && options.deferPDF)
            try Data(web.utf8).write(to: folder.appendingPathComponent("index.html"))
            report.files.append(folderPath + "/index.html")

            let writer = EPUBWriter(manifest: manifest, theme: theme, modified: date)
            var resources: [String: String] = [:]
            for path in epubBook.resources where !BookImages.isImage(path) {
                if let file = site.staticFiles.first(where: { $0.outputPath == path }) { resources[EPUBWriter.resourceFile(path)] = file.sourceFile }
            }
            let packed = Dictionary(uniqueKeysWithValues: copies.map { (BookImages.file($0.key, format: .epub), $0.value) })
            try writer.write(epubBook, to: folder.appendingPathComponent(epubName), resources: resources, files: packed,
                             coverImage: manifest.cover.map { BookImages.file($0, format: .epub) })
            report.files.append(folderPath + "/" + epubName)
        } catch {
            report.diagnostics.append(.error(manifest.sourcePath, "cannot write anthology '\(manifest.name)': \(error.localizedDescription)"))
            return false
        }
        if options.keepPrintHTML {
            do {
                try Data(printHTML.utf8).write(to: folder.appendingPathComponent("\(manifest.name).print.html"))
                report.files.append(folderPath + "/\(manifest.name).print.html")
            } catch {
                report.diagnostics.append(.error(manifest.sourcePath, "cannot write the print HTML: \(error.localizedDescription)"))
            }
        }
        return true
    }

    /// What making a book's PDFs gave: their problems, the files written and the time it took.
    struct PrintedPDFs: Sendable {
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        var seconds = 0.0
    }

    /// The book's PDFs, one after the other, until one fails.
    private func makePDFs(_ manifest: AnthologyManifest, _ documents: [PDFJob.Document], folder: URL) async -> PrintedPDFs {
        let clock = ContinuousClock()
        let start = clock.now
        var part = AnthologyReport(name: manifest.name)
        for document in documents where !part.diagnostics.hasErrors {
            await makePDF(manifest, document, folder: folder, report: &part)
        }
        return PrintedPDFs(diagnostics: part.diagnostics, files: part.files, seconds: seconds(clock.now - start))
    }

    /// The web edition's page; with `pdfPending`, it says the PDF is being updated instead of linking it.
    private func webEdition(_ book: RenderedBook, manifest: AnthologyManifest, pdfPending: Bool = false) -> String {
        var web = book.view
        web["css"] = theme.resourceText("web/book.css") ?? ""
        let config = site.config
        web["site"] = ["title": config.title, "base_path": URLPath.encode(config.basePath),
                       "og_locale": String(config.language.map { $0 == "-" ? "_" : $0 })]
        web["url"] = config.origin + URLPath.encode(config.basePath + "anthologies/\(manifest.name)/")
        web["description"] = manifest.subtitle ?? manifest.title
        var downloads: [String: Any] = ["epub": URLPath.encode("\(manifest.name).epub")]
        if options.pdf { downloads["pdf"] = URLPath.encode(Self.pdfName(manifest.name)) }
        if pdfPending { downloads["pdf_pending"] = true }
        web["downloads"] = downloads
        return theme.render(web, template: "web/book")
    }

    /// The press (CMYK, PDF/X-4, bleed and marks, padded to whole signatures) or the screen (`--proof`).
    enum Medium { case press, screen }

    /// `x.pdf` for the press, `x.proof.pdf` for the screen.
    public static func pdfName(_ name: String, proof: Bool = false) -> String { proof ? "\(name).proof.pdf" : "\(name).pdf" }

    /// What WeasyPrint is given for one PDF of the book.
    func pdfDocument(_ manifest: AnthologyManifest, html: String, images: [BookImage], medium: Medium, date: BookDate) -> PDFJob.Document {
        var settings = WeasyPrint.Settings()
        settings.justifyCJK = true
        if medium == .press {
            settings.variant = "pdf/x-4"
            settings.signature = manifest.signature
            settings.blankPageCSS = Self.pageRules(manifest, medium: .press)
        }
        settings.date = date
        settings.identifier = Self.documentIdentifier(html: html, settings: settings)
        // The photos it places are written beside the print HTML, converted for this medium, when it is rendered.
        let prepare: @Sendable (URL) async -> (diagnostics: [Diagnostic], digest: String) = { [self] work in
            await writePrintImages(images, manifest: manifest, medium: medium, into: work)
        }
        return PDFJob.Document(fileName: Self.pdfName(manifest.name, proof: medium == .screen), html: html, settings: settings, prepare: prepare)
    }

    private func makePDF(_ manifest: AnthologyManifest, _ document: PDFJob.Document, folder: URL, report: inout AnthologyReport) async {
        guard let weasyPrint = options.weasyPrint else {
            report.diagnostics.append(.error(manifest.sourcePath, WeasyPrint.installHint))
            return
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-print-\(manifest.name)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let html = work.appendingPathComponent("\(manifest.name).print.html")
            try Data(document.html.utf8).write(to: html)
            let placed = await document.prepare(work)
            report.diagnostics += placed.diagnostics
            if report.diagnostics.hasErrors { return }
            let messages = try await weasyPrint.render(html: html, to: folder.appendingPathComponent(document.fileName), settings: document.settings(placing: placed.digest))
            report.diagnostics += Self.warnings(messages)
            report.files.append(Self.folder(manifest.name) + "/" + document.fileName)
        } catch let failure as WeasyPrint.Failure {
            report.diagnostics.append(.error(manifest.sourcePath, "cannot make \(document.fileName): \(failure.description)"))
        } catch {
            report.diagnostics.append(.error(manifest.sourcePath, "cannot make \(document.fileName): \(error.localizedDescription)"))
        }
    }

    /// WeasyPrint's `ERROR` lines, as warnings on the print template.
    static func warnings(_ messages: String) -> [Diagnostic] {
        messages.split(separator: "\n").filter { $0.hasPrefix("ERROR") }.map {
            Diagnostic(SourceLocation(file: "Templates/print/book.mustache"), "WeasyPrint: \($0)", severity: .warning)
        }
    }

    /// 32 hex digits (128 bits: two 64-bit fingerprints) of everything the PDF is made from: its trailer `/ID`
    /// and XMP `DocumentID`, the same for the same content and different when anything changes.
    static func documentIdentifier(html: String, settings: WeasyPrint.Settings) -> String {
        var first = Fingerprint(), second = Fingerprint()
        second.add("qpress-pdf-document-id")
        for part in [html, settings.variant ?? "", String(settings.signature), settings.blankPageCSS,
                     settings.date.map(\.iso) ?? "", WeasyPrint.pinnedVersion] {
            first.add(part)
            second.add(part)
        }
        func pad(_ hex: String) -> String { String(repeating: "0", count: max(0, 16 - hex.count)) + hex }
        return pad(first.hex) + pad(second.hex)
    }

    /// The print HTML. Its every text, the templates' too (subtitle, CIP data, copyright page, affiliations), gets
    /// the Chinese typography pass the Markdown got: a quarter em between Han and Latin, no lone last character.
    func printHTML(_ book: RenderedBook, manifest: AnthologyManifest, medium: Medium) -> String {
        CJKTypesetting.typesetHTML(theme.render(printView(book, manifest: manifest, medium: medium), template: "print/book"))
    }

    /// The print view: the book plus the page rules that follow from the manifest and the print stylesheet.
    func printView(_ book: RenderedBook, manifest: AnthologyManifest, medium: Medium = .press) -> [String: Any] {
        var view = book.view
        var css = theme.resourceText("print/print.css") ?? ""
        if manifest.bodyFont != AnthologyManifest.defaultBodyFont {
            css = css.replacingOccurrences(of: "\"\(AnthologyManifest.defaultBodyFont)\"", with: "\"\(manifest.bodyFont)\"")
        }
        if manifest.headingFont != AnthologyManifest.defaultHeadingFont {
            css = css.replacingOccurrences(of: "\"\(AnthologyManifest.defaultHeadingFont)\"", with: "\"\(manifest.headingFont)\"")
        }
        if medium == .screen { css = Self.screenColours(css) }
        view["css"] = css
        view["page_css"] = Self.pageRules(manifest, medium: medium) + "\n"
            + Self.imageRules(manifest, margins: margins(manifest), coverSize: Self.coverSize(book.images))
        return view
    }

    /// `@page { size: …; bleed: …; marks: … }` from the manifest, and for the press the CMYK profile that
    /// `device-cmyk()` colours refer to (it becomes the PDF/X OutputIntent); the stylesheet does the rest.
    static func pageRules(_ manifest: AnthologyManifest, medium: Medium = .press) -> String {
        let format = TrimSize.format
        var rule = "@page { size: \(format(manifest.trim.width))mm \(format(manifest.trim.height))mm;"
        if manifest.bleed > 0 && medium == .press {
            rule += " bleed: \(format(manifest.bleed))mm;"
            if manifest.cropMarks { rule += " marks: crop cross;" }
        }
        rule += " }"
        if let margins = manifest.margins {
            // Over print.css's: the inside (gutter) margin is on the right of a left-hand page.
            let (top, bottom) = (format(margins.top), format(margins.bottom))
            let (outside, inside) = (format(margins.outside), format(margins.inside))
            rule += "\n@page { margin-top: \(top)mm; margin-bottom: \(bottom)mm; }"
                + "\n@page :left { margin-top: \(top)mm; margin-bottom: \(bottom)mm; margin-left: \(outside)mm; margin-right: \(inside)mm; }"
                + "\n@page :right { margin-top: \(top)mm; margin-bottom: \(bottom)mm; margin-left: \(inside)mm; margin-right: \(outside)mm; }"
        }
        if medium == .press {
            let profile = URL(fileURLWithPath: manifest.colorProfile).absoluteString
            rule = "@color-profile device-cmyk { src: url(\"\(profile)\"); components: cyan, magenta, yellow, black; }\n" + rule
        }
        return rule
    }

    /// `device-cmyk(c m y k)` → `rgb(r g b)` (the naive conversion: a screen proof, not a colour proof).
    static func screenColours(_ css: String) -> String {
        var result = ""
        var rest = Substring(css)
        while let start = rest.range(of: "device-cmyk(") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: ")") else { rest = rest[start.lowerBound...]; break }
            let values = rest[start.upperBound..<end].split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
            if values.count == 4 {
                let channel = { (c: Double) in Int(((1 - c) * (1 - values[3]) * 255).rounded()) }
                result += "rgb(\(channel(values[0])) \(channel(values[1])) \(channel(values[2])))"
            } else {
                result += rest[start.lowerBound...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
