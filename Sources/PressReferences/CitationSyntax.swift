import Foundation

/// One cited key, with the page cited (`[@key, p. 29]` → locator `29`).
public struct Citation: Sendable, Hashable {
    public var key: String
    public var locator: String?

    public init(key: String, locator: String? = nil) {
        self.key = key
        self.locator = locator
    }
}

/// Citations found in a run of text: `[@a; @b, 29]` (bracketed) or `@a` (narrative), and where they stand.
public struct CitationGroup: Sendable, Hashable {
    public var citations: [Citation]
    public var narrative: Bool
    /// Characters of the text the group replaces.
    public var range: Range<String.Index>
}

/// Pandoc's citation syntax: `[@key]`, `[@key, p. 29]`, `[@key, 29]`, `[@a; @b; @c]`, and `@key` for a
/// narrative citation (not after a letter or digit, so e-mail addresses are left alone).
public enum CitationSyntax {
    /// Keys are ASCII: they start with a letter, digit or `_` and may hold `:.#$%&-+?<>~/` inside, as in
    /// Pandoc. ASCII only, so Chinese text may follow a narrative key directly: `@zhang2019指出`.
    static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || ":.#$%&-+?<>~/".contains(character))
    }

    /// One pass for bracketed groups (a citation holds no `[`, so only the innermost `[` before each `]`
    /// is tried, which keeps text full of brackets linear), one for narrative `@key` outside them.
    public static func find(in text: String) -> [CitationGroup] {
        var groups: [CitationGroup] = []
        var open: String.Index?
        for index in text.indices {
            switch text[index] {
            case "[": open = index
            case "]":
                if let start = open, let group = bracketed(in: text, open: start, close: index) { groups.append(group) }
                open = nil
            default: break
            }
        }
        var narrativeGroups: [CitationGroup] = []
        var covered = groups.makeIterator()
        var next = covered.next()
        var index = text.startIndex
        while index < text.endIndex {
            if let group = next, index >= group.range.lowerBound {
                index = group.range.upperBound
                next = covered.next()
            } else if text[index] == "@", let group = narrative(in: text, at: index), next.map({ group.range.upperBound <= $0.range.lowerBound }) ?? true {
                narrativeGroups.append(group)
                index = group.range.upperBound
            } else {
                index = text.index(after: index)
            }
        }
        return (groups + narrativeGroups).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// `[@a; @b, p. 29]`: every part separated by `;` must hold a key.
    private static func bracketed(in text: String, open: String.Index, close: String.Index) -> CitationGroup? {
        let inside = text[text.index(after: open)..<close]
        guard inside.contains("@") else { return nil }
        var citations: [Citation] = []
        for part in inside.split(separator: ";", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingSpaces
            guard trimmed.hasPrefix("@") || trimmed.hasPrefix("-@") else { return nil }
            let body = trimmed.drop { $0 == "-" || $0 == "@" }
            let key = keyPrefix(body)
            guard !key.isEmpty else { return nil }
            let rest = body.dropFirst(key.count).trimmingSpaces
            guard rest.isEmpty || rest.hasPrefix(",") else { return nil }
            citations.append(Citation(key: key, locator: locator(String(rest.dropFirst()))))
        }
        return CitationGroup(citations: citations, narrative: false, range: open..<text.index(after: close))
    }

    /// `@key`, optionally followed by ` [p. 29]`.
    private static func narrative(in text: String, at sign: String.Index) -> CitationGroup? {
        if sign > text.startIndex {
            let before = text[text.index(before: sign)]
            if before.isLetter && !before.unicodeScalars.contains(where: isHanScalar) || before.isNumber || before == "@" { return nil }
        }
        let key = keyPrefix(text[text.index(after: sign)...])
        guard !key.isEmpty else { return nil }
        var end = text.index(sign, offsetBy: key.count + 1)
        var locatorText: String?
        let rest = text[end...]
        let spaces = rest.prefix { $0 == " " }
        if rest.dropFirst(spaces.count).first == "[", let close = rest.firstIndex(of: "]") {
            let inside = rest[rest.index(rest.startIndex, offsetBy: spaces.count + 1)..<close]
            if !inside.contains("@") {
                locatorText = String(inside)
                end = rest.index(after: close)
            }
        }
        return CitationGroup(citations: [Citation(key: key, locator: locatorText.flatMap(locator))], narrative: true, range: sign..<end)
    }

    private static func isHanScalar(_ scalar: Unicode.Scalar) -> Bool {
        (0x3400...0x9FFF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value) || (0x20000...0x3134F).contains(scalar.value)
    }

    /// The key at the start of `text`; trailing punctuation (`@key.` ending a sentence) is not part of it.
    static func keyPrefix(_ text: Substring) -> String {
        guard let first = text.first, first.isASCII, first.isLetter || first.isNumber || first == "_" else { return "" }
        var key = String(text.prefix(while: isKeyCharacter))
        while let last = key.last, !(last.isLetter || last.isNumber || last == "_") { key.removeLast() }
        return key
    }

    /// `p. 29` → `29`; `pp. 29-30` → `29-30`; `29` → `29`.
    static func locator(_ text: String) -> String? {
        var value = text.trimmingSpaces
        for label in ["pp.", "p.", "页", "第"] where value.hasPrefix(label) {
            value = String(value.dropFirst(label.count)).trimmingSpaces
        }
        if value.hasSuffix("页") { value = String(value.dropLast()).trimmingSpaces }
        return value.isEmpty ? nil : value.replacingOccurrences(of: "–", with: "-")
    }
}
