/// Slugs for URLs and heading anchors. Chinese text is kept as it is (browsers show it,
/// links percent-encode it); ASCII letters are lowercased, whitespace becomes `-`,
/// punctuation other than `-` and `_` is dropped. This matches GitHub's heading anchors.
public enum Slug {
    public static func make(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        for scalar in text.unicodeScalars {
            // ASCII and the common ideographs need none of the Unicode property tables, which were
            // most of the cost of anchoring Chinese headings.
            let value = scalar.value
            if value < 0x80 || (0x4E00...0x9FA5).contains(value) {
                switch value {
                case 0x09...0x0D, 0x20:
                    pendingDash = !result.isEmpty
                case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F, 0x4E00...:
                    if pendingDash { result.append("-"); pendingDash = false }
                    result.unicodeScalars.append(0x41...0x5A ~= value ? Unicode.Scalar(UInt8(value) + 0x20) : scalar)
                default:
                    break
                }
                continue
            }
            if scalar.properties.isWhitespace {
                pendingDash = !result.isEmpty
                continue
            }
            let keep = scalar == "-" || scalar == "_" || scalar.properties.isAlphabetic
                || scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark
            guard keep else { continue }
            if pendingDash { result.append("-"); pendingDash = false }
            result.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return result
    }

    /// Why a slug given by an author cannot be used as a path segment, or nil when it can.
    public static func problem(with slug: String) -> String? {
        if slug.isEmpty { return "slug is empty" }
        if slug.contains("/") || slug.contains("\\") { return "slug '\(slug)' contains a path separator" }
        if slug == "." || slug == ".." || slug.contains("..") { return "slug '\(slug)' contains '..'" }
        if slug.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "slug '\(slug)' contains a control character"
        }
        return nil
    }
}

/// Makes anchors unique within one page: the second `概述` becomes `概述-1`.
public struct AnchorSet: Sendable {
    private var used: Set<String> = []
    public init() {}

    public mutating func unique(_ base: String) -> String {
        let stem = base.isEmpty ? "section" : base
        var candidate = stem
        var counter = 1
        while used.contains(candidate) {
            candidate = "\(stem)-\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}
