import Foundation
import FuzzSupport
import PressCore
import PressModel
@testable import PressLoader

/// An anthology manifest's bytes, read against a site of one story (prefaces it names are not found).
@_cdecl("FuzzManifest_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { bytes, count in fuzzManifest(bytes, count) }
}

/// libFuzzer's library refers to this name even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzManifest(bytes, count) }

func fuzzManifest(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let file = "Content/anthologies/book.yml"
    let story = DocumentHeader(kind: .story, sourcePath: "Content/stories/a.md", slug: "a", title: "甲", date: CalendarDate(iso: "2020-01-01"),
                               tags: [], summary: "s", draft: false, body: "正文", bodyFirstLine: 10)
    let reader = AnthologyReader(siteRoot: URL(fileURLWithPath: "/nonexistent-fuzz-site"), siteLanguage: "zh-CN",
                                 documents: ["stories/a.md": story], includeDrafts: false, slogans: [])
    let (_, diagnostics) = reader.read(data: Data(bytes: bytes, count: count), relativePath: file)
    // A preface or appendix it names is reported under its own path below Content/.
    Property.diagnostics(diagnostics) { $0 == file || $0.hasPrefix("Content/") }
    return 0
}
