import Foundation
import PressBuild
import PressImages
import PressTestSupport
import Testing

/// Photos in a story, end to end on the website: variants in the output, `<picture>` in the page,
/// nothing of the camera's metadata published, and no image work for an unchanged photo.
@Suite struct ImageBuildTests {
    func site(body: String, cover: String? = nil) throws -> TemporarySite {
        let extra = "slug: photos" + (cover.map { "\ncover: \($0)" } ?? "")
        let site = try TemporarySite(["Content/stories/photos.md": TemporarySite.story(extra: extra, body: body)])
        let folder = site.root.appendingPathComponent("Content/assets/images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try ImageFixtures.make("phone", in: folder, name: "factory.jpg")
        _ = try ImageFixtures.make("chart", in: folder, name: "chart.png")
        return site
    }

    func build(_ site: TemporarySite) async -> BuildResult {
        await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)).build()
    }

    static let body = "## 车间\n\n![图1　齿轮车间](/assets/images/factory.jpg)\n\n正文。\n\n![图2　不良率](../assets/images/chart.png)\n"

    @Test func photosBecomePicturesWithSizesAndLazyLoading() async throws {
        let site = try site(body: Self.body, cover: "/assets/images/factory.jpg")
        defer { site.remove() }
        let result = await build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        let page = try #require(site.read("Output/stories/photos/index.html"))
        let figures = page.components(separatedBy: "<figure class=\"figure\">").dropFirst()
        #expect(figures.count == 2)
        let first = try #require(figures.first), second = try #require(figures.last)
        #expect(first.contains("<source type=\"image/webp\" srcset=\"/assets/images/factory-480."))
        #expect(first.contains("width=\"1600\" height=\"2400\" alt=\"图1　齿轮车间\" decoding=\"async\""))
        #expect(!first.contains("loading=\"lazy\""))
        #expect(first.contains("<figcaption>图1　齿轮车间</figcaption>"))
        #expect(second.contains("width=\"800\" height=\"500\" alt=\"图2　不良率\" loading=\"lazy\" decoding=\"async\""))
        #expect(second.contains(".png 800w"))
        // The sources, with their EXIF and GPS, are not published; the variants carry none.
        #expect(!site.exists("Output/assets/images/factory.jpg"))
        #expect(!site.exists("Output/assets/images/chart.png"))
        let files = try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("Output/assets/images").path)
        #expect(files.filter { $0.hasPrefix("factory-") }.count == 6)
        for file in files where file.hasPrefix("factory-") {
            let data = try Data(contentsOf: site.root.appendingPathComponent("Output/assets/images/" + file))
            #expect(data.range(of: Data("GPS".utf8)) == nil && data.range(of: Data("Exif".utf8)) == nil, "\(file)")
        }
        // The cover: the card and the page show a variant; Open Graph gets the one nearest 1200 px.
        #expect(page.contains("<meta property=\"og:image\" content=\"https://example.org/assets/images/factory-1600."))
        #expect(page.contains("class=\"article__cover\" src=\"/assets/images/factory-960."))
        // Its own size (960 × 1440 upright), not a guess: the header does not shift as it loads.
        #expect(page.contains(".jpg 1600w\" sizes=\"(max-width: 48rem) 100vw, 48rem\" width=\"960\" height=\"1440\" alt=\"\" decoding=\"async\">"))
        // And the story's card on the list page, sized and lazy.
        let list = try #require(site.read("Output/stories/index.html"))
        #expect(list.contains("<img class=\"entry__cover\" src=\"/assets/images/factory-960."))
        #expect(list.contains("width=\"960\" height=\"1440\" alt=\"\" loading=\"lazy\" decoding=\"async\">"))
        #expect(result.imageFilesMade == 10)
    }

    @Test func anUnchangedPhotoIsNeverProcessedAgainAndAChangedOneRerendersItsPage() async throws {
        let site = try site(body: Self.body, cover: "/assets/images/factory.jpg")
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let again = await build(site)
        #expect(again.succeeded)
        #expect(again.imageFilesMade == 0)
        #expect(again.imageFilesReused == 10)
        let before = try #require(site.read("Output/stories/photos/index.html"))
        // A new photo under the same name: new variant names, and the page that shows it is rendered again.
        _ = try ImageFixtures.make("small", in: site.root.appendingPathComponent("Content/assets/images"), name: "factory.jpg")
        let changed = await build(site)
        #expect(changed.succeeded)
        #expect(changed.imageFilesMade == 2)
        let after = try #require(site.read("Output/stories/photos/index.html"))
        #expect(after != before)
        let newName = try #require(try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("Output/assets/images").path)
            .first { $0.hasPrefix("factory-300.") && $0.hasSuffix(".jpg") })
        #expect(site.read("Output/stories/index.html")?.contains("src=\"/assets/images/\(newName)\"") == true, "the card shows the new cover")
        #expect(after.contains("width=\"300\" height=\"200\" alt=\"图1　齿轮车间\""))
        // And the incremental output equals a clean build's.
        let clean = await SiteBuilder(options: {
            var options = BuildOptions(source: site.root, output: site.root.appendingPathComponent("Clean"), defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)
            options.incremental = false
            return options
        }()).build()
        #expect(clean.succeeded)
        #expect(site.read("Clean/stories/photos/index.html") == after)
    }

    /// An SVG is published as it is, and its `<img>` gets the drawing's size, so the page does not shift.
    @Test func anSVGIsPublishedAsItIsWithItsSize() async throws {
        let site = try site(body: "正文。\n\n![图3　齿轮示意图](/assets/images/gear.svg)\n")
        defer { site.remove() }
        let svg = try Data(contentsOf: TemporarySite.repositoryRoot.appendingPathComponent("Content/assets/images/gear.svg"))
        try svg.write(to: site.root.appendingPathComponent("Content/assets/images/gear.svg"))
        try site.write("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", to: "Content/assets/images/blank.svg")
        let result = await build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        // A drawing without a size is still published, as a plain file.
        #expect(result.diagnostics.map(\.description) == [])
        #expect(site.exists("Output/assets/images/blank.svg"))
        let page = try #require(site.read("Output/stories/photos/index.html"))
        #expect(page.contains("<img src=\"/assets/images/gear.svg\" width=\"320\" height=\"180\" alt=\"图3　齿轮示意图\" decoding=\"async\">"))
        #expect(!page.contains("gear.svg.") && !page.contains("image/webp\" srcset=\"/assets/images/gear"))
        #expect(try Data(contentsOf: site.root.appendingPathComponent("Output/assets/images/gear.svg")) == svg)
        // Unchanged, it is taken from the previous output like the photos' variants.
        let again = await build(site)
        #expect(again.imageFilesMade == 0 && again.imageFilesReused == 11)
    }

    /// WeChat shows no SVG as a link preview: an SVG cover's `og:image` is a JPEG drawn 1200 px wide,
    /// fingerprinted, while the page and the card keep the drawing.
    @Test func anSVGCoverGetsARasterOpenGraphImage() async throws {
        let site = try site(body: "正文。\n", cover: "/assets/images/gear.svg")
        defer { site.remove() }
        let svg = try Data(contentsOf: TemporarySite.repositoryRoot.appendingPathComponent("Content/assets/images/gear.svg"))
        try svg.write(to: site.root.appendingPathComponent("Content/assets/images/gear.svg"))
        let result = await build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        let page = try #require(site.read("Output/stories/photos/index.html"))
        let prefix = "<meta property=\"og:image\" content=\"https://example.org/"
        let meta = try #require(page.range(of: prefix))
        let path = String(page[meta.upperBound...].prefix(while: { $0 != "\"" }))
        #expect(path.hasPrefix("assets/images/gear-1200.") && path.hasSuffix(".jpg"), "\(path)")
        let jpeg = try Data(contentsOf: site.root.appendingPathComponent("Output/" + path))
        let header = try #require(ImageHeader.read(jpeg))
        #expect(header.loader.lowercased().contains("jpeg") && header.width == 1200 && header.height == 675 && header.bands == 3, "\(header)")
        // The page and the card still show the drawing itself.
        #expect(page.contains("class=\"article__cover\" src=\"/assets/images/gear.svg\""))
        #expect(site.read("Output/stories/index.html")?.contains("src=\"/assets/images/gear.svg\"") == true)
        // Unchanged, the JPEG is taken from the previous output, not drawn again.
        let again = await build(site)
        #expect(again.imageFilesMade == 0 && site.read("Output/stories/photos/index.html") == page)
    }

    @Test func missingAndBrokenImagesAreErrorsNamingTheFile() async throws {
        let site = try site(body: "正文。\n\n![图9](/assets/images/missing.jpg)\n")
        defer { site.remove() }
        try site.write("<html>not a photo</html>", to: "Content/assets/images/fake.jpg")
        let photo = try Data(contentsOf: site.root.appendingPathComponent("Content/assets/images/factory.jpg"))
        try photo.prefix(photo.count / 2).write(to: site.root.appendingPathComponent("Content/assets/images/cut.jpg"))
        _ = try ImageFixtures.make("bomb", in: site.root.appendingPathComponent("Content/assets/images"), name: "bomb.png")
        let result = await build(site)
        #expect(!result.succeeded)
        let messages = result.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("Content/stories/photos.md:") && $0.contains("missing.jpg") })
        #expect(messages.contains { $0.hasPrefix("Content/assets/images/fake.jpg") && $0.contains("not an image") })
        #expect(messages.contains { $0.hasPrefix("Content/assets/images/cut.jpg") && $0.contains("corrupt or truncated") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("Content/assets/images/bomb.png") && $0.contains("40000×40000 pixels") }, "\(messages)")
        #expect(!site.exists("Output/index.html"))
    }
}
