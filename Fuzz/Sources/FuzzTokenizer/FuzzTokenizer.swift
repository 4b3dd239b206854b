import Foundation
import FuzzSupport
import PressSearch

/// The search tokenizer on any text: tokens are non-empty, hold no whitespace, and are at most
/// `maxWordLength` scalars long.
@_cdecl("FuzzTokenizer_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { bytes, count in fuzzTokenizer(bytes, count) }
}

/// libFuzzer's library refers to this name even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzTokenizer(bytes, count) }

func fuzzTokenizer(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    for token in SearchTokenizer.tokens(text) {
        Property.check(!token.isEmpty, "empty token")
        Property.check(!token.unicodeScalars.contains { $0.properties.isWhitespace }, "token with whitespace: \(token.debugDescription)")
        Property.check(token.unicodeScalars.count <= SearchTokenizer.maxWordLength, "token of \(token.unicodeScalars.count) scalars")
    }
    return 0
}
