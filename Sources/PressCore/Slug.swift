/// Slugs for URLs and heading anchors. Chinese text is kept as it is (browsers show it,
/// links percent-encode it); ASCII letters are lowercased, whitespace becomes `-`,
/// punctuation other than `-` and `_` is dropped. This matches GitHub's heading anchors
/// (letters, marks and numbers of any script are kept).
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
            guard isWordScalar(scalar) else { continue }
            if pendingDash { result.append("-"); pendingDash = false }
            result.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return result
    }

    /// The longest slug, in UTF-8 bytes: a file name may have 255, and the EPUB adds `.xhtml`.
    /// 240 bytes are 80 Chinese characters.
    public static let maxBytes = 240

    /// Why a slug given by an author cannot be used, or nil when it can. A slug becomes a folder name,
    /// an id and part of a URL, so it holds only letters, marks and digits of any script, `-`, `_` and `.`,
    /// does not start with `.` and has no `..`.
    public static func problem(with slug: String) -> String? {
        if slug.isEmpty { return "slug is empty" }
        let quoted = Diagnostic.quote(slug)
        let bytes = slug.utf8.count
        if bytes > maxBytes {
            return "slug \(quoted) is \(bytes) bytes long; a slug may have at most \(maxBytes) bytes in UTF-8 (80 Chinese characters)"
        }
        if let bad = slug.unicodeScalars.first(where: { !isAllowed($0) }) {
            let what = bad == "/" || bad == "\\" ? "a path separator" : "the character \(Diagnostic.quote(String(bad)))"
            return "slug \(quoted) contains \(what); a slug may hold only letters, digits, '-', '_' and '.'"
        }
        if slug.hasPrefix(".") || slug.contains("..") { return "slug \(quoted) starts with '.' or contains '..'" }
        return nil
    }

    /// Letters, marks and digits of any script (`\p{L}\p{M}\p{N}`), `-`, `_` and `.`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F, 0x2E: return true
        case 0..<0x80: return false
        default: return isWordScalar(scalar)
        }
    }

    /// Letters, marks and numbers: what `make` keeps and `problem(with:)` allows beyond ASCII.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

/// Makes anchors unique within one page: the second `概述` becomes `概述-1`.
public struct AnchorSet: Sendable {
    private var used: Set<String> = []
    /// The next suffix to try per stem: counting from 1 for every repeat made 20,000 equal headings quadratic.
    private var nextSuffix: [String: Int] = [:]
    public init() {}

    /// `base`, or `base-1`, `base-2`… when it is taken. A first use hashes the string once: hashing a
    /// Chinese heading (Swift hashes Strings in NFC) four times was 2% of a build of long papers.
    public mutating func unique(_ base: String) -> String {
        let stem = base.isEmpty ? "section" : base
        if used.insert(stem).inserted { return stem }
        var counter = nextSuffix[stem] ?? 1
        var candidate: String
        repeat {
            candidate = "\(stem)-\(counter)"
            counter += 1
        } while !used.insert(candidate).inserted
        nextSuffix[stem] = counter
        return candidate
    }
}
