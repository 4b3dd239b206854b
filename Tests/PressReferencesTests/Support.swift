import Foundation
import Testing
import PressCore
@testable import PressReferences

enum Fixture {
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    static func entries(_ name: String) throws -> [Entry] {
        let format = try #require(Bibliography.Format(path: name))
        return try Bibliography.parse(text(name), format: format, file: name)
    }
}

extension Entry {
    /// Numeric-style text, as `qpress cite` prints it without the number.
    var numeric: String { GBT7714(style: .numeric).format(self).text }
}

/// The diagnostic a throwing call threw, or nil.
func diagnostic(_ body: () throws -> Void) -> Diagnostic? {
    do { try body() } catch { return error as? Diagnostic }
    return nil
}
