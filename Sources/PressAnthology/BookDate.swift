public import Foundation
public import PressModel

/// The one date a book's files carry: the PDF's `/CreationDate`, `/ModDate` and XMP dates, the EPUB's
/// `dcterms:modified` and its zip entries' times. Never the clock, so two builds of the same content
/// give the same bytes (and a deploy sends only the books that changed).
public struct BookDate: Sendable, Equatable, CustomStringConvertible {
    /// Where the date came from, for messages and tests.
    public enum Source: String, Sendable {
        case sourceDateEpoch = "SOURCE_DATE_EPOCH"
        case edition = "the manifest's edition"
        case newestDocument = "the newest document"
    }

    public let secondsSince1970: Int64
    public let source: Source

    public init(secondsSince1970: Int64, source: Source) {
        self.secondsSince1970 = secondsSince1970
        self.source = source
    }

    /// A malformed `SOURCE_DATE_EPOCH`: the reproducible-builds convention is to fail, not to guess.
    public struct Malformed: Error, Sendable, CustomStringConvertible {
        public var value: String
        public var description: String {
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not '\(value)'"
        }
    }

    /// `SOURCE_DATE_EPOCH` when set (reproducible-build tools set it); else the manifest's edition date
    /// (`2020年11月第1版` → 2020-11-01); else the newest date among `dates` (the book's documents).
    public static func resolve(sourceDateEpoch: String?, edition: String?, dates: [CalendarDate]) throws(Malformed) -> BookDate {
        if let text = sourceDateEpoch?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let seconds = Int64(text), seconds >= 0 else { throw Malformed(value: text) }
            return BookDate(secondsSince1970: seconds, source: .sourceDateEpoch)
        }
        if let date = edition.flatMap(Self.editionDate) {
            return BookDate(calendarDate: date, source: .edition)
        }
        return BookDate(calendarDate: dates.max() ?? .distantPast, source: .newestDocument)
    }

    /// Midnight UTC of a calendar date: editors' dates have no time zone, and UTC keeps every machine equal.
    init(calendarDate date: CalendarDate, source: Source) {
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let instant = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        self.init(secondsSince1970: Int64(instant.timeIntervalSince1970), source: source)
    }

    /// The first `YYYY年M月` (with an optional `D日`) of a 版次 line.
    static func editionDate(_ edition: String) -> CalendarDate? {
        guard let match = edition.firstMatch(of: /(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?/),
              let year = Int(match.1), let month = Int(match.2) else { return nil }
        return CalendarDate(year: year, month: month, day: match.3.flatMap { Int($0) } ?? 1)
    }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    /// `2020-11-01T00:00:00Z`: W3C (what WeasyPrint's metadata takes) and EPUB's `dcterms:modified` form.
    public var iso: String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    public var description: String { "\(iso) (from \(source.rawValue))" }
}
