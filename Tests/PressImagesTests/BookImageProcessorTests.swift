import Foundation
import PressTestSupport
import Testing
@testable import PressImages

/// The print and EPUB copies of an image, read back with libvips: channels, orientation, size, metadata.
@Suite struct BookImageProcessorTests {
    let processor = BookImageProcessor()
    static let pressProfile = "/usr/share/color/icc/ghostscript/default_cmyk.icc"

    func fixture(_ kind: String, _ name: String, in folder: URL) throws -> Data {
        try Data(contentsOf: ImageFixtures.make(kind, in: folder, name: name))
    }

    @Test func colourBecomesCMYKGreyStaysOneChannelUprightWithoutMetadata() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let phone = try processor.print(fixture("phone", "p.jpg", in: folder), profile: Self.pressProfile, width: nil)
        let header = try #require(ImageHeader.read(phone.data))
        #expect(header.isCMYK && header.bands == 4 && phone.bands == 4)
        #expect((header.width, header.height) == (2000, 3000), "EXIF orientation 6 applied")
        #expect(header.orientation == 1 && !header.hasICCProfile)
        for marker in ["Exif", "GPS", "xmpmeta"] { #expect(phone.data.range(of: Data(marker.utf8)) == nil) }
        let scan = try processor.print(fixture("scan", "s.jpg", in: folder), profile: Self.pressProfile, width: nil)
        #expect(scan.bands == 1 && ImageHeader.read(scan.data)?.isGrey == true)
        let grey16 = try processor.print(fixture("grey16", "g.png", in: folder), profile: Self.pressProfile, width: 600)
        #expect(grey16.bands == 1 && (grey16.width, grey16.height) == (600, 400))
    }

    @Test func transparencyIsPaperWhiteNoInk() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let chart = try processor.print(fixture("chart", "c.png", in: folder), profile: Self.pressProfile, width: nil)
        let file = folder.appendingPathComponent("c.print.jpg")
        try chart.data.write(to: file)
        // The chart's corner is transparent: on paper, no ink at all.
        let corner = try vips(["getpoint", file.path, "5", "5"]).split(separator: " ").compactMap { Double($0) }
        #expect(corner.count == 4 && corner.allSatisfy { $0 < 3 }, "\(corner)")
    }

    /// A CMYK image with its own profile goes from it to the press profile; one without is taken to be in the
    /// press profile already and keeps its values.
    @Test func aCMYKImageGoesFromItsOwnProfileToThePress() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func point(_ data: Data, _ name: String) throws -> [Double] {
            let file = folder.appendingPathComponent(name)
            try data.write(to: file)
            return try vips(["getpoint", file.path, "500", "100"]).split(separator: " ").compactMap { Double($0) }
        }
        let plainSource = try fixture("cmyk", "plain.jpg", in: folder)
        let profiledSource = try fixture("cmyk-profiled", "profiled.jpg", in: folder)
        let source = try point(plainSource, "plain-source.jpg")
        let plain = try point(processor.print(plainSource, profile: Self.pressProfile, width: nil).data, "plain-press.jpg")
        let profiled = try point(processor.print(profiledSource, profile: Self.pressProfile, width: nil).data, "profiled-press.jpg")
        #expect(source.count == 4 && zip(source, plain).allSatisfy { abs($0 - $1) <= 2 }, "\(source) → \(plain)")
        #expect(zip(source, profiled).contains { abs($0 - $1) > 5 }, "ps_cmyk.icc → default_cmyk.icc changed nothing: \(profiled)")
    }

    @Test func theProofIsSRGBAndTheEPUBCopyAtMost1600Across() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cmyk = try processor.print(fixture("cmyk", "k.jpg", in: folder), profile: nil, width: 500)
        #expect(cmyk.bands == 3 && (cmyk.width, cmyk.height) == (500, 350))
        let epub = try processor.epub(fixture("wide", "w.jpg", in: folder), lossless: false)
        #expect((epub.width, epub.height) == (1600, 1000))
        #expect(ImageHeader.read(epub.data)?.loader.lowercased().contains("jpeg") == true)
        let gif = try processor.epub(fixture("animated", "a.gif", in: folder), lossless: true)
        #expect(ImageHeader.read(gif.data)?.loader.lowercased().contains("png") == true && abs(gif.height - 889) <= 1 && gif.width == 1600)
    }

    /// Issue: "resized to at most 1600 px" means wide: a standing photo keeps its height.
    @Test func theEPUBLimitsWidthNotTheLongSide() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let portrait = try processor.epub(fixture("portrait", "p.jpg", in: folder), lossless: false)
        #expect((portrait.width, portrait.height) == (1600, 2667))
        let header = try #require(ImageHeader.read(portrait.data))
        #expect((header.width, header.height) == (1600, 2667))
        // Stored sideways (3000×2000, EXIF 6): upright it is 2000 wide, so 1600×2400.
        let phone = try processor.epub(fixture("phone", "s.jpg", in: folder), lossless: false)
        #expect((phone.width, phone.height) == (1600, 2400))
    }

    /// Debian's libvips reads HEIC (libheif with libde265): an iPhone photo prints in CMYK like any other.
    @Test func anIPhoneHEICIsConvertedForPrintAndEPUB() throws {
        let folder = try ImageFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let heic = try fixture("heic", "i.heic", in: folder)
        #expect(ImageHeader.read(heic)?.loader.lowercased().contains("heif") == true)
        let press = try processor.print(heic, profile: Self.pressProfile, width: nil)
        #expect(press.bands == 4 && (press.width, press.height) == (1200, 800))
        #expect(ImageHeader.read(press.data)?.isCMYK == true)
        let epub = try processor.epub(heic, lossless: false)
        #expect(ImageHeader.read(epub.data)?.loader.lowercased().contains("jpeg") == true && epub.width == 1200)
    }

    /// A drawing stays vector for the press: its sRGB paint becomes `device-cmyk()` in the press profile.
    @Test func anSVGsPaintGoesToThePressProfile() throws {
        let svg = ##"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#1f3b5c" stroke="black"/><circle style="fill: rgb(232, 176, 74)"/><use href="#abc"/></svg>"##
        let press = try PressSVG.converting(svg, profile: Self.pressProfile)
        #expect(!press.contains("#1f3b5c") && !press.contains("\"black\"") && !press.contains("rgb("))
        #expect(press.contains("href=\"#abc\""), "a reference is not a colour")
        #expect(press.components(separatedBy: "device-cmyk(").count == 4)
        // Dark blue: mostly cyan and black; black: mostly K.
        let values = press.components(separatedBy: "device-cmyk(").dropFirst().map { $0.prefix(while: { $0 != ")" }).split(separator: " ").compactMap { Double($0) } }
        #expect(values[0][0] > 0.5 && values[0][2] < values[0][0])
        #expect(values[1][3] > 0.8)
    }

    func vips(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["vips"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
