import Foundation

/// A book page's margins in millimetres, as a typesetter gives them: top, bottom, and the outside and
/// inside (gutter) edges, which swap sides between left- and right-hand pages.
public struct PageMargins: Sendable, Equatable {
    public var top: Double
    public var outside: Double
    public var bottom: Double
    public var inside: Double

    public init(top: Double, outside: Double, bottom: Double, inside: Double) {
        (self.top, self.outside, self.bottom, self.inside) = (top, outside, bottom, inside)
    }

    /// The text block of a `trim` page, mm.
    public func textBlock(_ trim: TrimSize) -> (width: Double, height: Double) {
        (trim.width - outside - inside, trim.height - top - bottom)
    }

    /// `20 15 20 25` or `20mm 15mm 20mm 25mm` (top, outside, bottom, inside), each 5–80 mm; nil otherwise.
    public static func parse(_ text: String) -> PageMargins? {
        let values = text.split(whereSeparator: \.isWhitespace).map { $0.hasSuffix("mm") ? $0.dropLast(2) : $0 }.compactMap { Double($0) }
        guard values.count == 4, values.allSatisfy({ (5...80).contains($0) }) else { return nil }
        return PageMargins(top: values[0], outside: values[1], bottom: values[2], inside: values[3])
    }

    /// WeasyPrint's own page margin when a stylesheet sets none: 75 px.
    static let userAgent = 75 * 25.4 / 96

    /// The margins a print stylesheet gives the body's pages: its `@page`, `@page :left` and `@page :right`
    /// rules (later declarations win, as in the cascade), read in mm, cm, in, pt or px. Where left- and
    /// right-hand pages differ, the narrower text block counts: an image must fit on either.
    public static func of(css: String) -> PageMargins {
        var sides: [String: [String: Double]] = ["": [:], ":left": [:], ":right": [:]]
        for (selector, block) in pageRules(withoutComments(css)) where sides[selector] != nil {
            for (property, value) in declarations(block) { sides[selector]?.merge(margin(property, value)) { _, new in new } }
        }
        func side(_ page: String, _ name: String) -> Double { sides[page]?[name] ?? sides[""]?[name] ?? userAgent }
        let left = (outer: side(":left", "left"), inner: side(":left", "right"))
        let right = (outer: side(":right", "right"), inner: side(":right", "left"))
        let widest = left.outer + left.inner >= right.outer + right.inner ? left : right
        return PageMargins(top: max(side(":left", "top"), side(":right", "top")), outside: widest.outer,
                           bottom: max(side(":left", "bottom"), side(":right", "bottom")), inside: widest.inner)
    }

    /// `@page <selector> { … }` blocks, their nested margin boxes (`@top-center { … }`) left out.
    static func pageRules(_ css: String) -> [(selector: String, block: String)] {
        var rules: [(String, String)] = []
        var rest = Substring(css)
        while let start = rest.range(of: "@page") {
            guard let open = rest[start.upperBound...].firstIndex(of: "{") else { break }
            let selector = rest[start.upperBound..<open].trimmingCharacters(in: .whitespacesAndNewlines)
            var depth = 0, block = "", index = open
            while index < rest.endIndex {
                let character = rest[index]
                if character == "{" { depth += 1 } else if character == "}" { depth -= 1 } else if depth == 1 { block.append(character) }
                index = rest.index(after: index)
                if depth == 0 { break }
            }
            rules.append((selector, block))
            rest = rest[index...]
        }
        return rules
    }

    static func withoutComments(_ css: String) -> String {
        var result = "", rest = Substring(css)
        while let start = rest.range(of: "/*") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].range(of: "*/") else { return result }
            rest = rest[end.upperBound...]
        }
        return result + rest
    }

    static func declarations(_ block: String) -> [(String, String)] {
        block.split(separator: ";").compactMap { declaration in
            let parts = declaration.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            // The last word: a nested margin box's name (`@top-center`) may stand before it.
            guard let property = parts[0].split(whereSeparator: \.isWhitespace).last else { return nil }
            return (property.lowercased(), parts[1].trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// `margin: 22mm 18mm 20mm 22mm` → top, right, bottom, left; `margin-left: 18mm` → left.
    static func margin(_ property: String, _ value: String) -> [String: Double] {
        let lengths = value.split(whereSeparator: \.isWhitespace).map { millimetres(String($0)) }
        guard !lengths.isEmpty, lengths.allSatisfy({ $0 != nil }) else { return [:] }
        let v = lengths.compactMap { $0 }
        switch property {
        case "margin":
            let (top, right) = (v[0], v.count > 1 ? v[1] : v[0])
            let bottom = v.count > 2 ? v[2] : top, left = v.count > 3 ? v[3] : right
            return ["top": top, "right": right, "bottom": bottom, "left": left]
        case "margin-top", "margin-right", "margin-bottom", "margin-left":
            return [String(property.dropFirst("margin-".count)): v[0]]
        default:
            return [:]
        }
    }

    static func millimetres(_ length: String) -> Double? {
        let units: [(String, Double)] = [("mm", 1), ("cm", 10), ("in", 25.4), ("pt", 25.4 / 72), ("px", 25.4 / 96)]
        for (unit, factor) in units where length.hasSuffix(unit) {
            return Double(length.dropLast(unit.count)).map { $0 * factor }
        }
        return length == "0" ? 0 : nil
    }
}
