import Foundation
import PressAnthology
import PressBuild
import PressModel
import PressTestSupport
import Testing

/// Issue 9: what a Chinese printer checks in the sample books' PDFs (PDF/X-4, fonts, ink, signatures,
/// line breaking, type), and the screen proof. Every check reads the real PDF back.
@Suite struct PressReadyTests {
    static let books = PrintedBookTests.books

    @Test(arguments: books) func fontsAreEmbeddedSubsetsOfSimplifiedChineseFacesWithoutType3(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let fonts = try pdfFonts(book.pdf)
        #expect(!fonts.isEmpty)
        for font in fonts {
            let columns = font.split(separator: " ")
            // name type… encoding emb sub uni object ID
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes" && columns[columns.count - 4] == "yes", "not an embedded subset: \(font)")
            #expect(!font.contains("Type 3"), "Type 3 font: \(font)")
            #expect(font.contains("CJK-SC") || font.contains("CJKsc") || font.contains("CJK SC"), "not a Simplified Chinese face: \(font)")
        }
        // 宋体 for the body, 黑体 for the headings.
        #expect(fonts.contains { $0.contains("Noto-Serif-CJK-SC") || $0.contains("NotoSerifCJKsc") })
        #expect(fonts.contains { $0.contains("Noto-Sans-CJK-SC") || $0.contains("NotoSansCJKsc") })
    }

    /// Ink coverage per page from Ghostscript: every page but the cover prints in black ink only.
    @Test(arguments: books) func textPagesUseBlackInkOnlyAndImagesAreCMYKAt300ppi(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let images = try run("pdfimages", ["-list", book.pdf.path]).output.split(separator: "\n").dropFirst(2)
        var imagePages: Set<Int> = []
        for image in images {
            let columns = image.split(separator: " ")
            // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
            guard columns.count >= 14, let page = Int(columns[0]) else { continue }
            imagePages.insert(page)
            #expect(["cmyk", "gray"].contains(String(columns[5])), "image on page \(page) is \(columns[5]), not CMYK")
            #expect(columns[9] == "no", "image on page \(page) asks to be interpolated")
            #expect((Int(columns[12]) ?? 0) >= 300 && (Int(columns[13]) ?? 0) >= 300, "image on page \(page) is too coarse: \(columns[12])×\(columns[13]) ppi")
        }
        let coverage = try run("gs", ["-q", "-o", "-", "-r20", "-dUseTrimBox", "-sDEVICE=inkcov", book.pdf.path]).output
            .split(separator: "\n").filter { $0.contains("CMYK") }
        let pages = try await SampleBooks.shared.reading(name).pages.count
        #expect(coverage.count == pages)
        // A drawing (an SVG cover, vector in the PDF) is art too: pages that paint in CMYK with C, M or Y.
        let artPages = try SampleBooks.cmykArtPages(book.pdf)
        for (index, line) in coverage.enumerated() where index > 0 && !imagePages.contains(index + 1) && !artPages.contains(index + 1) {
            let values = line.split(separator: " ").compactMap { Double($0) }
            #expect(values.count == 4 && values[0] == 0 && values[1] == 0 && values[2] == 0,
                    "page \(index + 1) uses colour ink: \(line)")
        }
        // The cover is in colour, so the check above would catch RGB or four-colour black.
        #expect(coverage.first.map { $0.split(separator: " ").compactMap { Double($0) }.prefix(3).contains { $0 > 0 } } == true)
    }

    @Test(arguments: books) func pdfX4WithACMYKOutputIntentFromDebian(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let raw = try SampleBooks.uncompressed(book.pdf)
        #expect(raw.contains("/OutputIntents"))
        #expect(raw.contains("/S /GTS_PDFX"))
        #expect(raw.contains("/DestOutputProfile"))
        #expect(raw.contains("GTS_PDFXVersion>PDF/X-4<") || raw.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"))
        #expect(raw.contains("/Trapped /False"))
        // The profile embedded is the manifest's (by default Ghostscript's, from Debian's libgs-common), a CMYK one.
        #expect(book.manifest.colorProfile == AnthologyManifest.defaultColorProfile)
        let profile = try Data(contentsOf: URL(fileURLWithPath: book.manifest.colorProfile))
        #expect(profile.count > 20 && String(decoding: profile[16..<20], as: UTF8.self) == "CMYK")
        #expect(raw.contains("/N 4"), "the OutputIntent's profile has not four components")
    }

    @Test(arguments: books) func pageCountFillsWholeSignaturesWithBlankPages(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let pdf = try await SampleBooks.shared.reading(name)
        #expect(book.manifest.signature == 4)
        #expect(pdf.pages.count % book.manifest.signature == 0, "\(pdf.pages.count) pages")
        // The padding is blank, with the same boxes (checked for every page in PrintedBookTests).
        let lastText = try #require((1...pdf.pages.count).last { !pdf.lines($0).isEmpty })
        #expect(pdf.pages.count - lastText < book.manifest.signature + 1)
    }

    static let noLineStart = "，。、；：？！）》」』】〕”’…·～％"
    static let noLineEnd = "（《「『【〔“‘/"

    @Test(arguments: books) func noLineStartsOrEndsWithForbiddenPunctuation(_ name: String) async throws {
        let pdf = try await SampleBooks.shared.reading(name)
        var starts: [String] = [], ends: [String] = []
        for page in 1...pdf.pages.count {
            for line in pdf.lines(page) {
                // pdftotext -layout separates columns by runs of spaces: check each run of text.
                for run in line.components(separatedBy: "   ").map({ $0.trimmingCharacters(in: .whitespaces) }) where !run.isEmpty {
                    if let first = run.first, Self.noLineStart.contains(first) { starts.append("p\(page): \(run)") }
                    if let last = run.last, Self.noLineEnd.contains(last) { ends.append("p\(page): \(run)") }
                }
            }
        }
        #expect(starts.isEmpty, "lines starting with closing punctuation: \(starts.prefix(5))")
        #expect(ends.isEmpty, "lines ending with opening punctuation: \(ends.prefix(5))")
    }

    /// Line boxes from `pdftotext -bbox-layout`: 10.5 pt body (the advance of a Chinese character), line
    /// pitch 1.5–2 times that with no extra space between paragraphs, first lines indented 2 em.
    @Test(arguments: books) func bodyIsTenAndAHalfPointWithLineHeightAndIndent(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let pdf = try await SampleBooks.shared.reading(name)
        let openers = pdf.outline().filter { $0.level == 2 }.map(\.page)
        let opener = try #require(openers.first)
        struct Line { var xMin: Double; var yMin: Double; var width: Double; var height: Double; var text: String }
        func lines(_ page: Int) throws -> [Line] {
            let xml = try run("pdftotext", ["-bbox-layout", "-f", "\(page)", "-l", "\(page)", book.pdf.path, "-"]).output
            var result: [Line] = []
            for row in xml.split(separator: "\n") {
                let text = row.trimmingCharacters(in: .whitespaces)
                func attribute(_ name: String) -> Double? {
                    guard let range = text.range(of: "\(name)=\"") else { return nil }
                    return Double(text[range.upperBound...].prefix { $0 != "\"" })
                }
                if text.hasPrefix("<line "), let x0 = attribute("xMin"), let y0 = attribute("yMin"), let x1 = attribute("xMax"), let y1 = attribute("yMax") {
                    result.append(Line(xMin: x0, yMin: y0, width: x1 - x0, height: y1 - y0, text: ""))
                } else if text.hasPrefix("<word "), !result.isEmpty, let open = text.firstIndex(of: ">"), let close = text.range(of: "</word>") {
                    result[result.count - 1].text += text[text.index(after: open)..<close.lowerBound]
                }
            }
            return result
        }
        // A page of running text (not an opener, with its abstract): lines of Chinese only give the body size.
        var all: [Line] = [], chinese: [Line] = [], page = opener
        for candidate in (opener + 1)...min(opener + 12, pdf.pages.count) where !openers.contains(candidate) {
            all = try lines(candidate)
            chinese = all.filter { $0.text.count >= 12 && $0.text.allSatisfy { !$0.isASCII } }
            page = candidate
            if chinese.count >= 8 { break }
        }
        try #require(chinese.count >= 8, "no page of running text after page \(opener)")
        func mode(_ values: [Double]) -> Double? {
            Dictionary(grouping: values.map { ($0 * 10).rounded() / 10 }, by: { $0 }).max { $0.value.count < $1.value.count }?.key
        }
        // Line boxes are the font size times Noto CJK's ascent + descent (1.437); justification spaces the
        // characters, so their advance is not the size.
        let bodyHeight = try #require(mode(chinese.map(\.height)))
        let size = bodyHeight / 1.437
        #expect(abs(size - 10.5) < 0.1, "body text is \(size) pt on page \(page)")
        let isBody = { (line: Line) in abs(line.height - bodyHeight) < 0.2 }
        let pitches = zip(all, all.dropFirst()).filter { isBody($0) && isBody($1) }.map { $1.yMin - $0.yMin }.filter { $0 > 0 }
        let pitch = try #require(mode(pitches))
        #expect(pitch >= 1.5 * 10.5 && pitch <= 2 * 10.5, "line pitch \(pitch) pt")
        // First lines of paragraphs start 2 em (21 pt) right of the others, at the same pitch below the
        // previous paragraph's last line (no space between paragraphs).
        let left = try #require(chinese.map(\.xMin).min())
        let starts = all.indices.filter { isBody(all[$0]) && abs(all[$0].xMin - left - 21) < 0.5 }
        #expect(!starts.isEmpty, "no paragraph indented by 2 em on page \(page)")
        var checked = 0
        for index in starts where index > 0 && isBody(all[index - 1]) && all[index - 1].yMin < all[index].yMin {
            #expect(abs(all[index].yMin - all[index - 1].yMin - pitch) < 0.2, "space between paragraphs on page \(page): \(all[index - 1].text.prefix(10)) / \(all[index].text.prefix(10))")
            checked += 1
        }
        if name == "story-collection" { #expect(checked > 0) }
    }

    /// `--proof`: the screen PDF beside the print PDF, for review by e-mail: RGB, no bleed, no crop marks.
    @Test func proofIsAnRGBScreenPDFWithoutBleedOrMarks() async throws {
        let site = try AnthologyBuildTests.site()
        defer { site.remove() }
        var options = BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme, anthologyPDF: true)
        options.anthologyProof = true
        let result = await SiteBuilder(options: options).buildAnthology("book")
        #expect(result.diagnostics.map(\.description) == [])
        let proof = result.output.appendingPathComponent("book.proof.pdf")
        let press = result.output.appendingPathComponent("book.pdf")
        let boxes = try run("pdfinfo", ["-box", proof.path]).output
        let media = try #require(boxes.split(separator: "\n").first { $0.hasPrefix("MediaBox:") }).split(separator: " ").compactMap { Double($0) }
        let trim = try #require(boxes.split(separator: "\n").first { $0.hasPrefix("TrimBox:") }).split(separator: " ").compactMap { Double($0) }
        #expect(media == trim, "proof has bleed: \(boxes)")
        #expect(abs(media[2] - 185 * 72 / 25.4) < 0.2, "proof is not the trim size (16开): \(media)")
        let raw = try SampleBooks.uncompressed(proof)
        #expect(!raw.contains("/OutputIntents") && !raw.contains("/DeviceCMYK"))
        #expect(!raw.contains(" k\n") && !raw.contains(" K\n"), "CMYK colour operators in the proof")
        // The press PDF of the same book is CMYK and padded; the proof keeps the book's own page count.
        let pressRaw = try SampleBooks.uncompressed(press)
        #expect(pressRaw.contains("/OutputIntents"))
        let pressPages = try PDFReading(press).pages.count
        #expect(pressPages % 4 == 0)
    }
}

extension SampleBooks {
    /// The PDF rewritten by qpdf with streams uncompressed, as text.
    /// Pages whose content stream sets a DeviceCMYK colour with cyan, magenta or yellow (`c m y k scn`): vector
    /// art in press colours. RGB (`rg`) and text in K only (`0 0 0 1 scn`) do not count.
    static func cmykArtPages(_ pdf: URL) throws -> Set<Int> {
        var pages: Set<Int> = []
        for segment in try uncompressed(pdf).components(separatedBy: "%% Contents for page ").dropFirst() {
            guard let page = Int(segment.prefix(while: \.isNumber)) else { continue }
            let stream = segment.components(separatedBy: "\nendstream").first ?? ""
            for line in stream.split(separator: "\n") where line.hasSuffix(" scn") || line.hasSuffix(" SCN") {
                let values = line.split(separator: " ").dropLast().compactMap { Double($0) }
                if values.count == 4 && values.prefix(3).contains(where: { $0 > 0 }) { pages.insert(page) }
            }
        }
        return pages
    }

    static func uncompressed(_ pdf: URL) throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-qdf-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: copy) }
        try run("qpdf", ["--qdf", "--object-streams=disable", pdf.path, copy.path])
        return String(decoding: try Data(contentsOf: copy), as: UTF8.self)
    }
}

extension PressReadyTests {
    /// Text lines of the articles' pages after their openers, without running head and folio.
    func articleLines(_ pdf: PDFReading) -> [(page: Int, line: String)] {
        let outline = pdf.outline()
        var result: [(Int, String)] = []
        for opener in outline where opener.level == 2 {
            let end = outline.map(\.page).filter { $0 > opener.page }.min() ?? pdf.pages.count + 1
            for page in opener.page..<end {
                var lines = pdf.lines(page)
                if page > opener.page, !lines.isEmpty { lines.removeFirst() } // running head
                if !lines.isEmpty, lines[lines.count - 1].count <= 4 { lines.removeLast() } // folio
                // A paper's opener: title, authors with their affiliation numbers; the text starts at 摘要.
                if page == opener.page, let abstract = lines.firstIndex(where: { $0.hasPrefix("摘") && $0.contains("要：") }) { lines.removeFirst(abstract) }
                result += lines.map { (page, $0) }
            }
        }
        return result
    }

    static func isHan(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return (0x3400...0x4DBF).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
    }

    @Test(arguments: books) func hanAndLatinAreSpacedInBodyText(_ name: String) async throws {
        let pdf = try await SampleBooks.shared.reading(name)
        let lines = articleLines(pdf)
        #expect(lines.count > 100)
        var touching: [String] = []
        var spaced = 0
        // Table and figure captions (表 1　…, 图 1　…) are set in 9 pt, where pdftotext does not report the 2.25 pt
        // space as one; CJKTypesettingTests checks the text there.
        for (page, line) in lines where !((line.hasPrefix("表") || line.hasPrefix("图")) && line.dropFirst().first?.isNumber == true) {
            let characters = Array(line)
            for (a, b) in zip(characters, characters.dropFirst()) {
                if (Self.isHan(a) && b.isASCII && (b.isLetter || b.isNumber)) || (Self.isHan(b) && a.isASCII && (a.isLetter || a.isNumber)) {
                    touching.append("p\(page): \(line)")
                }
            }
            for (a, (b, c)) in zip(characters, zip(characters.dropFirst(), characters.dropFirst(2))) where b == " " {
                if Self.isHan(a) && c.isASCII && c.isNumber || a.isASCII && a.isNumber && Self.isHan(c) { spaced += 1 }
            }
        }
        #expect(touching.isEmpty, "Han next to Latin or digits without space: \(touching.prefix(5))")
        #expect(spaced > 10)
    }

    @Test(arguments: books) func noParagraphEndsWithALoneCharacter(_ name: String) async throws {
        let pdf = try await SampleBooks.shared.reading(name)
        let lone = articleLines(pdf).filter { _, line in
            let han = line.filter(Self.isHan)
            return han.count == 1 && line.count <= 3 && line.allSatisfy { Self.isHan($0) || "，。、；：？！）》」』】〕”’…".contains($0) }
        }
        #expect(lone.isEmpty, "lone characters: \(lone.prefix(5))")
    }
}

extension PressReadyTests {
    /// Check 6: every line of a body paragraph but its last reaches the right edge of the text block within
    /// 1 pt, Chinese-only lines and mixed ones alike (the print script's patch of WeasyPrint 70's justification).
    @Test(arguments: books) func justifiedChineseLinesAreFlushRight(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let xml = try run("pdftotext", ["-bbox-layout", book.pdf.path, "-"]).output
        struct Line { var xMin = 0.0, yMin = 0.0, xMax = 0.0, height = 0.0 }
        var pages: [[Line]] = []
        for row in xml.split(separator: "\n") {
            let text = row.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("<page ") { pages.append([]); continue }
            guard text.hasPrefix("<line "), !pages.isEmpty else { continue }
            func attribute(_ name: String) -> Double {
                guard let range = text.range(of: "\(name)=\"") else { return 0 }
                return Double(text[range.upperBound...].prefix { $0 != "\"" }) ?? 0
            }
            pages[pages.count - 1].append(Line(xMin: attribute("xMin"), yMin: attribute("yMin"), xMax: attribute("xMax"), height: attribute("yMax") - attribute("yMin")))
        }
        let bodyHeight = 10.5 * 1.437 // Noto CJK's ascent + descent at 10.5 pt
        var checked = 0, ragged: [String] = []
        for (index, lines) in pages.enumerated() {
            let body = lines.filter { abs($0.height - bodyHeight) < 0.1 }
            guard body.count >= 5, let left = body.map(\.xMin).min(), let right = body.map(\.xMax).max() else { continue }
            for (line, next) in zip(body, body.dropFirst())
            where abs(next.yMin - line.yMin - 18.9) < 0.3 && abs(next.xMin - left) < 0.5 && (abs(line.xMin - left) < 0.5 || abs(line.xMin - left - 21) < 0.5) {
                checked += 1
                if right - line.xMax > 1 { ragged.append("page \(index + 1), y \(Int(line.yMin)): \(String(format: "%.1f", right - line.xMax)) pt short") }
            }
        }
        #expect(checked > 50, "only \(checked) paragraph lines found")
        #expect(ragged.isEmpty, "\(ragged.count) of \(checked) lines are not flush right: \(ragged.prefix(5))")
    }
}
