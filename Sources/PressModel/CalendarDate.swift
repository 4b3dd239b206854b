/// A publication date as editors write it (`2020-08-14`): no time zone, so no build
/// machine can shift it by a day.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Sorts before every real date; used for undated pages.
    public static let distantPast = CalendarDate(uncheckedYear: 1970, month: 1, day: 1)

    private init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (also `YYYY-M-D`).
    public init?(iso text: String) {
        // `YYYY-M-D` to `YYYY-MM-DD`, read on bytes: the build cache holds one date per document.
        var year = 0, month = 0, day = 0, digits = (0, 0, 0), part = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                part += 1
                guard part < 3 else { return nil }
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            // Digits are counted before the number grows: a part of 20 digits would overflow `Int`.
            guard (part == 0 ? digits.0 < 4 : part == 1 ? digits.1 < 2 : digits.2 < 2) else { return nil }
            switch part {
            case 0: year = year * 10 + digit; digits.0 += 1
            case 1: month = month * 10 + digit; digits.1 += 1
            default: day = day * 10 + digit; digits.2 += 1
            }
        }
        guard part == 2, digits.0 == 4, (1...2).contains(digits.1), (1...2).contains(digits.2) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `2020-08-14`
    public var description: String { iso }
    public var iso: String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    /// `2020年8月14日`, as Chinese documents write dates.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    /// RFC 3339 at midnight Beijing time, for Atom feeds and sitemaps.
    public var rfc3339: String { "\(iso)T00:00:00+08:00" }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
