import Foundation

/// One linear pass over a template's tags, on UTF-8 bytes: the partials it references, and how deep
/// its sections nest. Delimiter changes (`{{=<% %>=}}`) are followed, so they cannot hide either.
struct TemplateScan {
    var references: [PartialReference] = []
    /// The deepest nesting of sections (`{{#…}}`, `{{^…}}`, `{{$…}}`, `{{<…}}`) and where it is first reached.
    var maxDepth = 0
    /// Where sections first nest deeper than `TemplateLimits.maxDepth`, if they do.
    var tooDeep: (line: Int, column: Int)?
    /// Whether a tag uses `content` other than as a variable printed as it is (`{{content}}`, `{{{content}}}`,
    /// `{{&page.content}}`): in a section, an inverted section or a transform, or through a partial named by
    /// a value. Pages rendered with such a template have their body in the view (`ContentMarker`).
    var usesContentBeyondVariables = false

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var open: [UInt8] = Array("{{".utf8), close: [UInt8] = Array("}}".utf8)
        var position = Position()
        var depth = 0
        var index = 0
        while let start = Self.find(open, in: bytes, from: index) {
            // With no closing delimiter after this one, no later tag can close either.
            guard let end = Self.find(close, in: bytes, from: start + open.count) else { break }
            position.advance(over: bytes, from: index, to: start)
            let tag = bytes[(start + open.count)..<end].drop(while: { $0 == UInt8(ascii: " ") })
            switch tag.first {
            case UInt8(ascii: ">"), UInt8(ascii: "<"):
                let name = String(decoding: tag.dropFirst(), as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if !name.isEmpty && !name.hasPrefix("*") {
                    references.append(PartialReference(name: name, line: position.line, column: position.column))
                }
                // A partial named by a value (`{{>*name}}`) could be any template: its uses of `content` are unknown.
                if name.hasPrefix("*") { usesContentBeyondVariables = true }
                if tag.first == UInt8(ascii: "<") { depth += 1 }
            case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"):
                depth += 1
            case UInt8(ascii: "/"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "="):
                if let delimiters = Self.delimiters(tag) { (open, close) = delimiters }
            default:
                break
            }
            if Self.usesContentBeyondVariable(tag) { usesContentBeyondVariables = true }
            maxDepth = max(maxDepth, depth)
            if depth > TemplateLimits.maxDepth && tooDeep == nil { tooDeep = (position.line, position.column) }
            index = end + close.count
            position.advance(over: bytes, from: start, to: min(index, bytes.count))
        }
    }

    /// Whether the tag names `content` (as a name or a dotted part of one) in a section, an inverted
    /// section or a transform. Partial and block names are not values, and comments are not read.
    private static func usesContentBeyondVariable(_ tag: ArraySlice<UInt8>) -> Bool {
        let sigil = tag.first
        if [UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="), UInt8(ascii: "%")].contains(sigil) {
            return false
        }
        let words = tag.split { !($0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 >= 0x80 || (0x30...0x39).contains($0)
            || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)) }
        guard words.contains(where: { $0.elementsEqual("content".utf8) }) else { return false }
        // A closing tag closes a section already judged, or a block (`{{$content}}…{{/content}}`), not a value.
        if sigil == UInt8(ascii: "/") { return false }
        let section = sigil == UInt8(ascii: "#") || sigil == UInt8(ascii: "^")
        return section || tag.contains(UInt8(ascii: "("))
    }

    /// `=<% %>=` → (`<%`, `%>`); nil when malformed (the Mustache parser reports it).
    private static func delimiters(_ tag: ArraySlice<UInt8>) -> ([UInt8], [UInt8])? {
        guard tag.count > 2, tag.last == UInt8(ascii: "=") else { return nil }
        let parts = tag.dropFirst().dropLast().split(separator: UInt8(ascii: " "))
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (Array(parts[0]), Array(parts[1]))
    }

    /// The first index of `needle` in `bytes` at or after `from`. Delimiters are short, so this is linear.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, from < bytes.count else { return nil }
        var index = from
        while index + needle.count <= bytes.count {
            if bytes[index] == first && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Line and column (counted in Unicode scalars) of a byte offset, moved forward only.
    private struct Position {
        var line = 1
        var column = 1

        mutating func advance(over bytes: [UInt8], from: Int, to: Int) {
            guard from < to else { return }
            for byte in bytes[from..<to] {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
        }
    }
}
