import Foundation

/// `base_url` (and `--base-url`): where the site is served, put before every link of the output.
public enum BaseURL {
    /// Why `text` cannot be a base URL, or nil when it can: an absolute `http://` or `https://` URL
    /// with a host, or a path starting with `/`; no spaces, control characters, quotes, `<`, `>`,
    /// `\`, query or fragment, since it ends up in every `href`.
    public static func problem(_ text: String) -> String? {
        let quoted = Diagnostic.quote(text)
        let isAbsolute = text.hasPrefix("http://") || text.hasPrefix("https://")
        guard isAbsolute || text.hasPrefix("/") else {
            return "base URL \(quoted) must start with http://, https:// or /"
        }
        if let bad = text.unicodeScalars.first(where: isForbidden) {
            return "base URL \(quoted) contains \(Diagnostic.quote(String(bad))); write spaces and other special characters percent-encoded (%20)"
        }
        // Non-ASCII text (`https://example.org/质量/`) is fine in a base URL; it is checked percent-encoded.
        var ascii = ""
        for byte in text.utf8 {
            ascii += byte < 0x80 ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true)
        }
        guard let components = URLComponents(string: ascii), components.query == nil, components.fragment == nil else {
            return "base URL \(quoted) is not a valid URL without query or fragment"
        }
        if isAbsolute && (components.host ?? "").isEmpty { return "base URL \(quoted) has no host name" }
        if !isAbsolute && text.hasPrefix("//") { return "base URL \(quoted) must name its scheme (https://) or be a path with one leading /" }
        return nil
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control { return true }
        return "\"'<>\\`{}|^".unicodeScalars.contains(scalar)
    }
}
