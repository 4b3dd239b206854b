import Foundation
import PressCore
@testable import PressModel
import Testing

/// The byte-level link classification against the Character-level code it replaced, on links built from
/// pieces that stress it: schemes, fragments, percent escapes, Chinese, `.` and `..`, doubled slashes,
/// and marks or prepended letters that join `#`, `%`, `:` or `/` into other Characters.
@Suite struct LinkFastPathTests {
    static let pieces = ["", "s00021.md", "../papers/x.md", "./a.md", "..", ".", "a//b.md", "b/", "https:", "mailto:", "x+y.z-1:",
                         "#", "#改进方案", "#\u{301}h", "%E8%AF%95", "%+f", "%-0", "%ZZ", "%", "%\u{301}41", "\u{600}%41",
                         ":\u{301}", "/\u{301}", "\u{600}#x", "质量.md", "a b?.md", "//host/", "/root/", "C:", "é:", "#a#b"]
    static let sources = ["stories/a.md", "a.md", "", "x//y/z.md", "/lead.md", "p/q/r.md", "目录/\u{301}/f.md"]

    static var destinations: [String] {
        var all = pieces
        for first in pieces { for second in pieces { all.append(first + second) } }
        for (index, first) in pieces.enumerated() { all.append(first + pieces[(index * 7) % pieces.count] + pieces[(index * 11) % pieces.count]) }
        return all
    }

    @Test func classifiesAsTheCharacterLevelCodeDid() {
        for source in Self.sources {
            let folder = ContentLink.SourceFolder(source)
            for destination in Self.destinations {
                let expected = Reference.classify(destination, from: source)
                #expect(ContentLink.classify(destination, from: folder) == expected, "\(destination.debugDescription) from \(source)")
                #expect(ContentLink.classify(destination, from: source) == expected)
            }
        }
    }

    @Test func schemesAndFragmentsAsTheCharacterLevelCodeFound() {
        for destination in Self.destinations {
            #expect(ContentLink.hasScheme(destination) == ContentLink.hasSchemeByCharacters(destination), "\(destination.debugDescription)")
            #expect(ByteSearch.firstCharacter(UInt8(ascii: "#"), in: destination) == destination.firstIndex(of: "#"), "\(destination.debugDescription)")
        }
    }

    @Test func percentCodingAsBefore() {
        for text in Self.destinations + ["/stories/精益/", "~a_b-c.d/e", "\u{0}\u{7F}\u{80}"] {
            #expect(URLPath.decode(text) == Reference.decode(text), "\(text.debugDescription)")
            #expect(URLPath.encode(text) == Reference.encode(text), "\(text.debugDescription)")
        }
    }

    /// The code before the byte-level version, kept as the definition.
    enum Reference {
        static func classify(_ destination: String, from sourcePath: String) -> ContentLink {
            if destination.isEmpty || destination.hasPrefix("//") || ContentLink.hasSchemeByCharacters(destination) { return .external }
            let (path, written) = splitFragment(destination)
            let fragment = written.map { decode($0) ?? $0 }
            if path.isEmpty { return .fragment(fragment ?? "") }
            if path.hasPrefix("/") { return .rootRelative(path: path, fragment: fragment) }
            let decodedPath = decode(path) ?? path
            let directory = Array(sourcePath.split(separator: "/").map(String.init).dropLast())
            guard let target = ContentLink.normalize(directory: directory, relative: decodedPath) else { return .outsideContent }
            return .content(path: target, fragment: fragment)
        }

        static func splitFragment(_ url: String) -> (String, String?) {
            guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
            return (String(url[..<hash]), String(url[url.index(after: hash)...]))
        }

        static func decode(_ path: String) -> String? {
            guard path.contains("%") else { return path }
            var bytes: [UInt8] = []
            var iterator = Array(path.utf8).makeIterator()
            while let byte = iterator.next() {
                guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            }
            return String(validating: bytes, as: UTF8.self)
        }

        static func encode(_ path: String) -> String {
            let unreserved = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8))
            return path.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
        }
    }
}
