/// Where a problem was found: a file (relative to the site root where possible) and, when known, a line and column.
public struct SourceLocation: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, as compilers print it, so editors can jump to it.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.column ?? 0) < (rhs.file, rhs.line ?? 0, rhs.column ?? 0)
    }
}

/// The stages of a build, in the order they run: each takes the previous one's values and returns its own.
public enum BuildStage: String, Sendable, CaseIterable, Comparable {
    /// Theme, previous build's cache, `Content/` read and parsed.
    case load
    /// What every link resolves to: routes, static files, images' web variants.
    case resolve
    /// What changed since the last build, and so what to render and what to reuse.
    case plan
    /// The renderers (site, search index, anthologies) write into the staging folder.
    case render
    /// Links in the staging folder checked.
    case check
    /// The build cache written for the next build, and the staging folder swapped or patched in.
    case commit

    public static func < (lhs: BuildStage, rhs: BuildStage) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One problem found while building, with the stage that found it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var location: SourceLocation
    public var message: String
    public var severity: Severity
    /// The build stage that reported it; nil outside a build (`qpress check`, a reader on its own).
    public var stage: BuildStage?

    public init(_ location: SourceLocation, _ message: String, severity: Severity = .error) {
        self.location = location
        self.message = message
        self.severity = severity
    }

    // The same problem seen by two stages (a book's renderer and the site's) is reported once: the
    // stage is not part of what a diagnostic is.
    public static func == (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        lhs.location == rhs.location && lhs.message == rhs.message && lhs.severity == rhs.severity
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(location)
        hasher.combine(message)
        hasher.combine(severity)
    }

    public static func error(_ file: String, line: Int? = nil, column: Int? = nil, _ message: String) -> Diagnostic {
        Diagnostic(SourceLocation(file: file, line: line, column: column), message)
    }

    /// `stories/x.md:7:3: error: missing field 'company'`
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

extension Array where Element == Diagnostic {
    /// Stable order for reports: by file, then line, then message.
    public func sortedForReport() -> [Diagnostic] {
        sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// These diagnostics, each marked as found by `stage` unless a stage marked it already.
    public func from(_ stage: BuildStage) -> [Diagnostic] {
        map { diagnostic in
            var marked = diagnostic
            if marked.stage == nil { marked.stage = stage }
            return marked
        }
    }
}

/// Thrown when a stage found problems; carries all of them, not just the first.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
extension Diagnostic: Error {}

extension Diagnostic {
    /// The longest value a message quotes, in characters: a 10 MB slug must not make a 20 MB error line.
    public static let quoteLimit = 80

    /// A value from the input as messages quote it: `'value'`, cut to `quoteLimit` characters (with `…`
    /// and its length in bytes), control characters written as escapes so a message stays one line.
    public static func quote(_ value: some StringProtocol) -> String {
        var text = ""
        var count = 0
        for character in value {
            if count == quoteLimit {
                // Bytes, not characters: counting the characters of 10 MB would take longer than the build.
                return "'\(text)…' (\(value.utf8.count) bytes)"
            }
            count += 1
            appendEscaped(character.unicodeScalars, to: &text)
        }
        return "'\(text)'"
    }

    /// The value as `quote` cuts and escapes it, without quotes or length: for a second mention.
    public static func clipped(_ value: some StringProtocol) -> String {
        var text = ""
        appendEscaped(value.prefix(quoteLimit).unicodeScalars, to: &text)
        return value.dropFirst(quoteLimit).isEmpty ? text : text + "…"
    }

    /// The whole value with control characters written as escapes (`a\nb`), for file names in messages.
    public static func escaped(_ value: some StringProtocol) -> String {
        var text = ""
        appendEscaped(value.unicodeScalars, to: &text)
        return text
    }

    private static func appendEscaped(_ scalars: some Sequence<Unicode.Scalar>, to text: inout String) {
        for scalar in scalars {
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                text += scalar.escaped(asASCII: true)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
    }
}
