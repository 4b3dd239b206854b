import Foundation
import FuzzSupport
import PressCore
import PressTemplates

/// Template loading: the input, split at NUL bytes, becomes `home.mustache` and `partials/p0`…`p3`, written
/// to a folder of this process. A theme that loads renders every template without crashing (no cycle
/// slips through), and every problem names one of the files.
private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-fuzz-theme-\(getpid())")
private let names = ["home", "partials/p0", "partials/p1", "partials/p2", "partials/p3"]

@_cdecl("FuzzTheme_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { bytes, count in fuzzTheme(bytes, count) }
}

/// libFuzzer's library refers to this name even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzTheme(bytes, count) }

func fuzzTheme(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let parts = UnsafeBufferPointer(start: bytes, count: count).split(separator: 0, omittingEmptySubsequences: false)
    try? FileManager.default.removeItem(at: folder)
    try? FileManager.default.createDirectory(at: folder.appendingPathComponent("partials"), withIntermediateDirectories: true)
    for (name, part) in zip(names, parts) {
        try? Data(part).write(to: folder.appendingPathComponent(name + ".mustache"))
    }
    let (theme, diagnostics) = Theme.load(folders: [folder], required: []) { url in
        "Templates/" + url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)
    }
    Property.diagnostics(diagnostics, name: Set(names.map { "Templates/\($0).mustache" }))
    // Triple mustaches, `{{&…}}`, pragmas and delimiter changes may print unescaped on purpose.
    let input = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let raw = ["{{{", "{{&", "{{=", "{{%", "<script>x", "\"a\""].contains { input.contains($0) }
    if let theme, !raw {
        let view: [String: Any] = ["title": "<script>x", "items": [["name": "\"a\""]], "a": true]
        for name in theme.templateNames {
            let html = theme.render(view, template: name)
            Property.check(!html.contains("<script>x") && !html.contains("\"a\""), "a variable reached the output unescaped")
        }
    }
    return 0
}
