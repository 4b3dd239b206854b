import Foundation
import FuzzSupport
import PressCore
@testable import PressLoader

/// `Content/site.yml`'s bytes.
@_cdecl("FuzzSiteConfig_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { bytes, count in fuzzSiteConfig(bytes, count) }
}

/// libFuzzer's library refers to this name even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzSiteConfig(bytes, count) }

func fuzzSiteConfig(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let file = "Content/site.yml"
    let (config, diagnostics) = SiteConfigReader.read(data: Data(bytes: bytes, count: count), relativePath: file)
    Property.diagnostics(diagnostics, name: [file])
    if let config, !diagnostics.hasErrors {
        Property.check(BaseURL.problem(config.baseURL) == nil, "base_url \(config.baseURL) was accepted")
    }
    return 0
}
