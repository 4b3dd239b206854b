import Foundation
public import PressCore

/// A person or body responsible for a work, as CSL-JSON writes names.
public struct Name: Sendable, Hashable {
    public var family: String?
    public var given: String?
    /// A name that must not be split: an organisation, or a person written as one string (`哈里森·沃尔德伦`).
    public var literal: String?
    /// `Jr`, `III`: printed after the initials (`SODEMAN W A, Jr`).
    public var suffix: String?
    /// `van`, `de`: kept in front of the family name.
    public var particle: String?

    public init(family: String? = nil, given: String? = nil, literal: String? = nil, suffix: String? = nil, particle: String? = nil) {
        self.family = family
        self.given = given
        self.literal = literal
        self.suffix = suffix
        self.particle = particle
    }

    /// CSL-JSON and BibTeX both spell "and more authors" as a name `others`.
    public var isOthers: Bool { literal?.lowercased() == "others" || family?.lowercased() == "others" && given == nil }
}

/// A CSL date: up to two `year-month-day` points (a range), or a literal such as `c1980`.
public struct EntryDate: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        public var year: Int
        public var month: Int?
        public var day: Int?
        public init(year: Int, month: Int? = nil, day: Int? = nil) {
            self.year = year
            self.month = month
            self.day = day
        }
    }

    public var start: Point?
    public var end: Point?
    public var literal: String?

    public init(start: Point? = nil, end: Point? = nil, literal: String? = nil) {
        self.start = start
        self.end = end
        self.literal = literal
    }

    /// Reads `2013`, `2013-01-12`, `2013-1-12`, `2000-02-01/2000-02-04` (ISO 8601 as Zotero writes it);
    /// anything else is kept as a literal.
    public init(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        if let start = Self.point(parts.first ?? "") {
            self.init(start: start, end: parts.count > 1 ? Self.point(parts[1]) : nil)
        } else {
            self.init(literal: text)
        }
    }

    private static func point(_ text: String) -> Point? {
        let fields = text.trimmingSpaces.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(fields.count), fields.allSatisfy({ $0 != nil }), let year = fields[0] else { return nil }
        return Point(year: year, month: fields.count > 1 ? fields[1] : nil, day: fields.count > 2 ? fields[2] : nil)
    }

    public var year: Int? { start?.year }
}

/// One bibliography entry, in CSL-JSON's vocabulary so every format maps onto one model.
/// Ordinary variables (`title`, `container-title`, `publisher`, `page`, `DOI`, …) live in `fields`,
/// name variables (`author`, `editor`, `translator`) in `names`, date variables (`issued`, `accessed`,
/// `original-date`, `event-date`) in `dates`.
public struct Entry: Sendable, Hashable {
    public var key: String
    /// A CSL type: `book`, `chapter`, `article-journal`, `standard`, `periodical`, …
    public var type: String
    public var fields: [String: String]
    public var names: [String: [Name]]
    public var dates: [String: EntryDate]
    /// Where the entry starts, for messages.
    public var location: SourceLocation

    public init(key: String, type: String, fields: [String: String] = [:], names: [String: [Name]] = [:],
                dates: [String: EntryDate] = [:], location: SourceLocation) {
        self.key = key
        self.type = type
        self.fields = fields
        self.names = names
        self.dates = dates
        self.location = location
    }

    public subscript(field: String) -> String? {
        get { fields[field].flatMap { $0.isEmpty ? nil : $0 } }
        set { fields[field] = newValue }
    }

    public func names(_ role: String) -> [Name] { names[role] ?? [] }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
