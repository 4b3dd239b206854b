import Foundation
import PressTestSupport
import Testing
@testable import PressImages

@Suite struct WebImageProcessorTests {
    let processor = WebImageProcessor()

    @Test func phonePhotoIsTurnedUprightStrippedAndResized() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Data(contentsOf: ImageFixtures.make("phone", in: folder, name: "factory.jpg"))
        let source = try #require(ImageHeader.read(data))
        #expect(source.orientation == 6)
        #expect((source.width, source.height) == (3000, 2000))

        let result = try processor.process(sourcePath: "assets/images/factory.jpg", data: data)
        // Upright: 2000 wide, 3000 tall, so 480, 960 and 1600 wide, each as WebP and JPEG.
        #expect(result.image.variants.map(\.width) == [480, 480, 960, 960, 1600, 1600])
        #expect(result.image.variants.map(\.format) == [.webp, .jpeg, .webp, .jpeg, .webp, .jpeg])
        #expect((result.image.width, result.image.height) == (1600, 2400))
        for variant in result.image.variants {
            let bytes = try #require(result.files[variant.path])
            let header = try #require(ImageHeader.read(bytes))
            #expect((header.width, header.height) == (variant.width, variant.height))
            // Nothing of the camera's metadata is left: no orientation tag, no EXIF block, no GPS.
            #expect(header.orientation == 1)
            for marker in ["Exif", "EXIF", "GPS", "ICCP", "xmpmeta"] {
                #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(variant.path) holds \(marker)")
            }
            #expect(!header.hasICCProfile)
            #expect(variant.path.hasPrefix("assets/images/factory-\(variant.width)."))
        }
        #expect(result.files.values.allSatisfy { $0.count < data.count })
    }

    @Test func namesCarryAHashOfContentAndSettings() throws {
        let data = Data("not really an image".utf8)
        let name = processor.variantPath(sourcePath: "assets/a.jpg", data: data, width: 960, format: .webp)
        #expect(name.hasPrefix("assets/a-960.") && name.hasSuffix(".webp"))
        var other = WebImageSettings()
        other.webpQuality = 60
        #expect(WebImageProcessor(settings: other).variantPath(sourcePath: "assets/a.jpg", data: data, width: 960, format: .webp) != name)
        #expect(processor.variantPath(sourcePath: "assets/a.jpg", data: data + Data([1]), width: 960, format: .webp) != name)
    }

    @Test func transparentChartKeepsPNGAndSmallImagesAreNotUpscaled() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let chart = try processor.process(sourcePath: "c.png", data: Data(contentsOf: ImageFixtures.make("chart", in: folder, name: "c.png")))
        #expect(Set(chart.image.variants.map(\.format)) == [.webp, .png])
        #expect(chart.image.fallbacks.map(\.width) == [480, 800])
        let small = try processor.process(sourcePath: "s.jpg", data: Data(contentsOf: ImageFixtures.make("small", in: folder, name: "s.jpg")))
        #expect(small.image.variants.map(\.width) == [300, 300])
    }

    @Test func sixteenBitGreyAndCMYKSourcesBecomeEightBitWebImages() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (kind, name) in [("grey16", "g.png"), ("scan", "s.jpg"), ("cmyk", "k.jpg")] {
            let data = try Data(contentsOf: ImageFixtures.make(kind, in: folder, name: name))
            let result = try processor.process(sourcePath: name, data: data)
            for variant in result.image.variants {
                let bytes = try #require(result.files[variant.path])
                let header = try #require(ImageHeader.read(bytes))
                #expect(header.bitsPerChannel == 8, "\(kind)")
                #expect(!header.isCMYK, "\(kind)")
                #expect(header.bands <= 4, "\(kind)")
            }
        }
    }

    /// The embedded profile is applied, then dropped: an Adobe RGB photo's colours are converted to sRGB
    /// (its raw values would show too dull on the web), and the variants carry no profile (the web's default is sRGB).
    @Test func anEmbeddedProfileIsAppliedBeforeItIsStripped() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ImageFixtures.make("adobe-rgb", in: folder, name: "a98.jpg")
        #expect(ImageHeader.read(try Data(contentsOf: source))?.hasICCProfile == true)
        let result = try processor.process(sourcePath: "a98.jpg", data: Data(contentsOf: source))
        let variant = try #require(result.image.fallbacks.first { $0.width == 960 })
        let bytes = try #require(result.files[variant.path])
        #expect(ImageHeader.read(bytes)?.hasICCProfile == false && ImageHeader.read(bytes)?.bands == 3)
        let file = folder.appendingPathComponent("a98-960.jpg")
        try bytes.write(to: file)
        func point(_ path: String, _ x: Int, _ y: Int) throws -> [Double] {
            try BookImageProcessorTests().vips(["getpoint", path, String(x), String(y)]).split(separator: " ").compactMap { Double($0) }
        }
        // The yellow disc in both (x 300 of 1000 is x 288 of 960): Adobe RGB's (250, 250, 40) is sRGB's (250, 251, 0).
        let raw = try point(source.path, 300, 250), web = try point(file.path, 288, 240)
        #expect(raw.count == 3 && web.count == 3)
        #expect(zip(raw, web).contains { abs($0 - $1) > 20 }, "Adobe RGB taken as sRGB: \(raw) → \(web)")
    }

    @Test func decompressionBombIsRefusedFromItsHeader() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bomb = try Data(contentsOf: ImageFixtures.make("bomb", in: folder, name: "bomb.png"))
        #expect(bomb.count < 2000)
        #expect(throws: ImageError.tooManyPixels(width: 40000, height: 40000, limit: 100_000_000)) {
            try processor.process(sourcePath: "bomb.png", data: bomb)
        }
        #expect(ImageError.tooManyPixels(width: 40000, height: 40000, limit: 100_000_000).description.contains("40000×40000"))
    }

    /// HEIC from an iPhone: Debian's libvips decodes it, so it gets WebP and JPEG variants like a JPEG.
    @Test func anIPhoneHEICGetsWebPAndJPEGVariants() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let heic = try Data(contentsOf: ImageFixtures.make("heic", in: folder, name: "i.heic"))
        let result = try processor.process(sourcePath: "assets/i.heic", data: heic)
        #expect(result.image.fallbacks.map(\.width) == [480, 960, 1200])
        #expect(result.image.fallbacks.allSatisfy { $0.format == .jpeg && $0.path.hasSuffix(".jpg") })
        for variant in result.image.variants {
            let bytes = try #require(result.files[variant.path])
            let header = try #require(ImageHeader.read(bytes))
            #expect(header.loader.lowercased().contains(variant.format == .webp ? "webp" : "jpeg"), "\(variant.path)")
        }
    }

    @Test func brokenFilesAreErrorsNotCrashes() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ImageError.notAnImage) { try processor.process(sourcePath: "x.jpg", data: Data("<html>not a jpeg</html>".utf8)) }
        let photo = try Data(contentsOf: ImageFixtures.make("phone", in: folder, name: "p.jpg"))
        let truncated = photo.prefix(photo.count / 3)
        let error = #expect(throws: ImageError.self) { try processor.process(sourcePath: "p.jpg", data: Data(truncated)) }
        guard case .cannotDecode = error else {
            Issue.record("a truncated JPEG: \(String(describing: error))")
            return
        }
        var heic = Data([0, 0, 0, 24])
        heic.append(Data("ftypheic".utf8))
        heic.append(Data(repeating: 0, count: 32))
        #expect(throws: ImageError.heicUnsupported) { try processor.process(sourcePath: "i.heic", data: heic) }
    }
}
