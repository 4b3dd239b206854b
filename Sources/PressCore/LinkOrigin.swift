/// Where a link in a generated page came from: the Markdown file and line that wrote it.
/// The link checker reports broken links there, which no general link checker can.
public struct LinkOrigin: Sendable, Hashable, Codable {
    public var href: String
    public var location: SourceLocation

    public init(href: String, location: SourceLocation) {
        self.href = href
        self.location = location
    }
}

/// For each generated page (by output path): the links written from Markdown and the template that made it.
public struct LinkSourceMap: Sendable, Codable, Equatable {
    public var links: [String: [LinkOrigin]]
    public var templates: [String: String]
    /// URLs written literally in template files (the footer's ICP link), with file and line.
    public var templateLinks: [String: SourceLocation]

    public init(links: [String: [LinkOrigin]] = [:], templates: [String: String] = [:], templateLinks: [String: SourceLocation] = [:]) {
        self.links = links
        self.templates = templates
        self.templateLinks = templateLinks
    }
}

