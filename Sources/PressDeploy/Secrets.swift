import Foundation

/// Credentials come from the environment only. Everything a deploy prints (commands, tool errors)
/// goes through `scrub`, which replaces the value of every variable that looks like a credential or
/// that qpress hands to rclone or ssh, and the query string of every URL.
public struct Secrets: Sendable {
    /// Longest first, so a secret containing another is replaced whole.
    public let values: [String]

    /// Variables whose name contains one of these words hold credentials
    /// (`QPRESS_SSH_KEY`, `RCLONE_S3_SECRET_ACCESS_KEY`, `RCLONE_WEBDAV_PASS`, `RCLONE_CONFIG_OSS_SESSION_TOKEN`…).
    static let markers = ["KEY", "PASS", "SECRET", "TOKEN", "CREDENTIAL", "AUTH", "PRIVATE"]

    public init(environment: [String: String]) {
        var found: Set<String> = []
        for (name, value) in environment {
            let upper = name.uppercased()
            if Self.markers.contains(where: upper.contains) {
                Self.collect(value, shortest: 6, into: &found)
            } else if Self.isHandedOn(upper) {
                Self.collect(value, shortest: 8, into: &found)
            }
        }
        values = found.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// rclone and ssh settings may carry a credential under any name (`RCLONE_CONFIG_X_URL=…?access_token=…`).
    /// A remote's type and a store's provider name nothing secret and would blank out words like `webdav`.
    static func isHandedOn(_ name: String) -> Bool {
        (name.hasPrefix("RCLONE_") || name.hasPrefix("QPRESS_")) && !name.hasSuffix("_TYPE") && !name.hasSuffix("_PROVIDER")
    }

    private static func collect(_ value: String, shortest: Int, into found: inout Set<String>) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        // Short or boolean values ("true", "1", "40k") would blank out ordinary words.
        guard trimmed.count >= shortest, !["true", "false"].contains(trimmed.lowercased()) else { return }
        found.insert(trimmed)
        // A private key or a token file: also each of its lines, in case a tool echoes one.
        if trimmed.contains("\n") {
            for line in trimmed.split(whereSeparator: \.isNewline) {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.count >= 16 && !text.hasPrefix("-----") { found.insert(text) }
            }
        }
    }

    public func scrub(_ text: String) -> String {
        var result = text
        for value in values where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: "***")
        }
        return Self.maskQueries(result)
    }

    /// `https://host/path?access_token=abc` → `https://host/path?***`: tools print URLs with their
    /// query, where signed URLs and many stores keep a token.
    static func maskQueries(_ text: String) -> String {
        guard text.contains("://"), text.contains("?") else { return text }
        let url = /([A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\s?#'"<>]*)\?[^\s#'"<>]+/
        return text.replacing(url) { match in "\(match.output.1)?***" }
    }
}
