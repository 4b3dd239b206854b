/// The sentence sequence of each layout. Numeric style puts the year among the publication details;
/// author-date style moves it next to the authors and leaves it out there.
extension Context {
    /// `作者. 题名: 卷[M]. 译者, 译. 版本. 出版地: 出版者, 年: 页码[引用日期]`
    func monograph(into sentences: inout SentenceBuilder) {
        sentences.add(creators(["author", "editor", "compiler", "container-author"]))
        sentences.add(titleArea())
        sentences.add(translators)
        sentences.add(edition)
        sentences.add(publication())
    }

    /// `作者. 题名[M]//编者. 书名: 卷. 版本. 出版地: 出版者, 年: 页码`
    func part(into sentences: inout SentenceBuilder) {
        sentences.add(creators(["author"]))
        var whole = entry["container-title"] ?? ""
        if let volume = entry["volume"] { whole += ": " + volume }
        if let meeting = meeting(placeFirst: false) { whole += ", " + meeting }
        let hosts = entry.names("container-author").isEmpty ? entry.names("editor") : entry.names("container-author")
        if let hosts = NameList.format(hosts, chinese: chinese) {
            sentences.add(titleArea() + "//" + hosts)
            sentences.add(whole)
        } else {
            sentences.add(titleArea() + "//" + whole)
        }
        sentences.add(translators)
        sentences.add(edition)
        sentences.add(publication())
    }

    /// `作者. 题名[J]. 刊名, 年, 卷(期): 页码[引用日期]`
    func article(into sentences: inout SentenceBuilder) {
        sentences.add(creators(["author"]))
        sentences.add(titleArea())
        var text = entry["container-title"] ?? ""
        if style == .numeric, let year = yearText { text += (text.isEmpty ? "" : ", ") + year }
        text += volumeAndIssue(afterYear: style == .numeric && yearText != nil)
        sentences.add(text + pageAndAccessed)
    }

    /// `作者. 题名[N]. 报纸名, 出版日期(版次)[引用日期]`
    func newspaper(into sentences: inout SentenceBuilder) {
        sentences.add(creators(["author"]))
        sentences.add(titleArea())
        var text = entry["container-title"] ?? ""
        if let date = entry.dates["issued"].flatMap(DateText.iso) { text += (text.isEmpty ? "" : ", ") + date }
        if let page = entry["page"] { text += "(\(page))" }
        sentences.add(text + accessed)
    }

    /// A whole journal: `编者. 刊名[J]. 1984, 1(1)-. 出版地: 出版者, 1984-`
    func serial(into sentences: inout SentenceBuilder) {
        sentences.add(creators(["author", "editor"]))
        sentences.add(titleArea())
        let year = yearText ?? ""
        sentences.add(year + volumeAndIssue(afterYear: !year.isEmpty) + "-")
        sentences.add(placeAndPublisher.map { $0 + (year.isEmpty ? "" : ", \(year)-") })
    }

    /// `申请者. 专利题名: 专利号[P]. 公告日期[引用日期]`
    func patent(into sentences: inout SentenceBuilder) {
        sentences.add(creators(["author", "inventor"]))
        sentences.add(titleArea())
        let date = entry.dates["issued"].flatMap(DateText.iso) ?? ""
        sentences.add(date + accessed)
    }

    /// `, 57(34)`, `(2)` after a year, or `, 96` for a volume without issue.
    func volumeAndIssue(afterYear: Bool) -> String {
        var text = ""
        if let volume = entry["volume"] { text += ", " + volume }
        if let issue = entry["issue"] { text += "(\(issue))" }
        if !afterYear, text.hasPrefix(", "), entry["container-title"] == nil { text.removeFirst(2) }
        return text
    }

    var accessed: String { entry.dates["accessed"].flatMap(DateText.iso).map { "[\($0)]" } ?? "" }

    var pageAndAccessed: String { (entry["page"].map { ": " + $0 } ?? "") + accessed }

    /// `北京: 中华书局`, `[S.l.]: Rowman & Littlefield`; nil when the entry names neither.
    var placeAndPublisher: String? {
        let place = entry["publisher-place"]
        let publisher = entry["publisher"]
        guard place != nil || publisher != nil else { return nil }
        return "\(place ?? (chinese ? "[出版地不详]" : "[S.l.]")): \(publisher ?? (chinese ? "[出版者不详]" : "[s.n.]"))"
    }

    /// `北京: 中华书局, 2000: 29`. An online resource without a publisher gets its update date in
    /// parentheses instead, `(2012-01-16)[2013-03-26]`; a printed one gets `[S.l.: S.n.]`.
    func publication() -> String? {
        var text = placeAndPublisher ?? (online ? "" : (chinese ? "[出版地不详: 出版者不详]" : "[S.l.: S.n.]"))
        if let issued = entry.dates["issued"] {
            if placeAndPublisher != nil || !online {
                if style == .numeric, let year = yearText { text += (text.isEmpty ? "" : ", ") + year }
            } else if issued.start?.month != nil, let date = DateText.iso(issued) {
                text += "(\(date))"
            } else if style == .numeric, let year = yearText {
                text += year
            }
        }
        text += pageAndAccessed
        return text.isEmpty ? nil : text
    }
}
