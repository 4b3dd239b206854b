import Foundation

/// Credentials come from the environment only. Everything a deploy prints (commands, tool errors)
/// goes through `scrub`, which replaces the value of every variable that looks like a credential.
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
            guard Self.markers.contains(where: upper.contains) else { continue }
            Self.collect(value, into: &found)
        }
        values = found.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    private static func collect(_ value: String, into found: inout Set<String>) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        // Short or boolean values ("true", "1") would blank out ordinary words.
        guard trimmed.count >= 6, !["true", "false"].contains(trimmed.lowercased()) else { return }
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
        return result
    }
}
