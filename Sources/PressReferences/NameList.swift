import PressCore

/// Names as GB/T 7714 writes them: Chinese names whole (`张建国`), Western surnames in capitals with
/// initials without full stops (`PEEBLES P Z`), at most three, then `等` or `et al.`.
enum NameList {
    /// `徐光宪, 王祥云`; `袁训来, 陈哲, 肖书海, 等`; `MYBURG A A, GRATTAPAGLIA D, TUSKAN G A, et al.`
    static func format(_ people: [Name], chinese: Bool) -> String? {
        let (names, more) = shortened(people)
        guard !names.isEmpty else { return nil }
        let list = names.map { format($0, chinese: chinese) }.joined(separator: ", ")
        return more ? list + (chinese ? ", 等" : ", et al.") : list
    }

    /// The first three names, and whether more were left out (CSL's `others` counts as more).
    static func shortened(_ people: [Name]) -> (names: [Name], more: Bool) {
        let real = people.filter { !$0.isOthers }
        return (Array(real.prefix(3)), real.count > 3 || real.count < people.count)
    }

    static func format(_ name: Name, chinese: Bool) -> String {
        if let literal = name.literal, !literal.isEmpty { return literal }
        var family = name.family ?? ""
        let given = name.given ?? ""
        if (family + given).unicodeScalars.contains(where: TextStatistics.isCJK) { return family + given }
        // BibTeX and some exports write the suffix into the family name: `Sodeman, Jr`.
        var suffix = name.suffix
        if suffix == nil, let comma = family.range(of: ", ") {
            suffix = String(family[comma.upperBound...])
            family = String(family[..<comma.lowerBound])
        }
        if let particle = name.particle { family = particle + " " + family }
        var text = family.uppercased()
        let initials = initials(of: given)
        if !initials.isEmpty { text += (text.isEmpty ? "" : " ") + initials }
        if let suffix, !suffix.isEmpty { text += ", " + suffix }
        return text
    }

    /// `Peyton Z.` → `P Z`; `Jung-Ran` → `J R`; `J. Alan` → `J A`.
    static func initials(of given: String) -> String {
        given.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "-" || $0 == "\u{2010}" })
            .compactMap { $0.first.map { String($0).uppercased() } }
            .joined(separator: " ")
    }

    /// The short form used in author-date citations: `陈晋镳 等`, `MYBURG et al.`, `BAKER and JACKSON`.
    static func citationLabel(_ people: [Name], chinese: Bool) -> String? {
        let (names, more) = shortened(people)
        guard let first = names.first else { return nil }
        let surnames = names.map { surname($0) }
        if more || names.count > 2 { return surnames[0] + (chinese ? " 等" : " et al.") }
        if names.count == 2 { return surnames.joined(separator: chinese ? ", " : " and ") }
        return surname(first)
    }

    static func surname(_ name: Name) -> String {
        if let literal = name.literal, !literal.isEmpty { return literal }
        let family = name.family ?? ""
        if (family + (name.given ?? "")).unicodeScalars.contains(where: TextStatistics.isCJK) { return family + (name.given ?? "") }
        return ([name.particle].compactMap { $0 } + [family.components(separatedBy: ", ").first ?? family]).joined(separator: " ").uppercased()
    }
}

/// Dates as the standard prints them: `2013-01-12`, and meeting dates in words.
enum DateText {
    static func iso(_ point: EntryDate.Point) -> String {
        var text = String(format: "%04d", point.year)
        if let month = point.month {
            text += String(format: "-%02d", month)
            if let day = point.day { text += String(format: "-%02d", day) }
        }
        return text
    }

    static func iso(_ date: EntryDate) -> String? { date.literal ?? date.start.map(iso) }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    /// `February 1–4, 2000`, `2000 年 2 月 1—4 日`.
    static func event(_ date: EntryDate, chinese: Bool) -> String {
        guard let start = date.start else { return date.literal ?? "" }
        guard let month = start.month, (1...12).contains(month) else { return String(start.year) }
        let end = date.end
        let sameMonth = end?.year == start.year && end?.month == month
        if chinese {
            var text = "\(start.year) 年 \(month) 月"
            if let day = start.day { text += " \(day)" + (sameMonth ? end?.day.map { "—\($0)" } ?? "" : "") + " 日" }
            if let end, !sameMonth, let endMonth = end.month { text += "—\(endMonth) 月" + (end.day.map { " \($0) 日" } ?? "") }
            return text
        }
        var text = months[month - 1] + (start.day.map { " \($0)" } ?? "")
        if let end, let endDay = end.day {
            text += sameMonth ? "–\(endDay)" : "–" + (end.month.flatMap { (1...12).contains($0) ? months[$0 - 1] : nil } ?? "") + " \(endDay)"
        }
        return text + ", \(start.year)"
    }

    static func ordinalSuffix(_ number: Int) -> String {
        if (11...13).contains(number % 100) { return "th" }
        switch number % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }
}
