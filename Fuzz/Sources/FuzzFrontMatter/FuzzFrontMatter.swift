import Foundation
import FuzzSupport
import PressCore
import PressModel
@testable import PressLoader

/// A Markdown file's bytes, read as each content type: front matter split and every field reader.
@_cdecl("FuzzFrontMatter_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { bytes, count in fuzzFrontMatter(bytes, count) }
}

/// libFuzzer's library refers to this name even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzFrontMatter(bytes, count) }

func fuzzFrontMatter(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Data(bytes: bytes, count: count)
    let file = "Content/stories/fuzz.md"
    for kind in ContentKind.allCases {
        let (document, diagnostics) = DocumentReader.parse(data, relativePath: file, kind: kind)
        Property.diagnostics(diagnostics, name: [file])
        Property.check(document == nil || !diagnostics.hasErrors, "a document with errors was kept")
        if let header = document?.header {
            Property.check(Slug.problem(with: header.slug) == nil, "slug \(header.slug) breaks the slug rule")
        }
    }
    return 0
}
