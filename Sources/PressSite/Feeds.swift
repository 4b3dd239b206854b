import PressCore
import PressModel

/// `sitemap.xml`, `atom.xml` and `robots.txt`, written in code: their formats are fixed, not themed.
struct Feeds {
    let site: Site
    let urls: SiteURLs

    /// What `SiteRenderer` writes of them, in this order.
    static let files = ["sitemap.xml", "atom.xml", "robots.txt"]

    struct SitemapEntry {
        var route: String
        var lastModified: CalendarDate?
    }

    func sitemap(_ entries: [SitemapEntry]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in entries.sorted(by: { $0.route < $1.route }) {
            xml += "  <url><loc>\(HTMLEscaping.text(urls.absolute(entry.route)))</loc>"
            if let date = entry.lastModified { xml += "<lastmod>\(date.iso)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// The newest stories and papers together. `updated` is the newest entry's date, so the
    /// feed does not change when nothing else did.
    func atom(limit: Int = 20) -> String {
        let entries = newest(limit)
        let config = site.config
        let updated = entries.compactMap(\.0.date).max() ?? .distantPast
        var xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(HTMLEscaping.attribute(config.language))">
          <title>\(HTMLEscaping.text(config.title))</title>
          <subtitle>\(HTMLEscaping.text(config.description))</subtitle>
          <link href="\(HTMLEscaping.attribute(urls.absolute("/atom.xml")))" rel="self"/>
          <link href="\(HTMLEscaping.attribute(urls.absolute("/")))"/>
          <id>\(HTMLEscaping.text(urls.absolute("/")))</id>
          <updated>\(updated.rfc3339)</updated>

        """
        for (header, author) in entries {
            let date = (header.date ?? .distantPast).rfc3339
            xml += """
              <entry>
                <title>\(HTMLEscaping.text(header.title))</title>
                <link href="\(HTMLEscaping.attribute(urls.absolute(header.route)))"/>
                <id>\(HTMLEscaping.text(urls.absolute(header.route)))</id>
                <published>\(date)</published>
                <updated>\(date)</updated>
                <author><name>\(HTMLEscaping.text(author))</name></author>

            """
            if let summary = header.summary { xml += "    <summary>\(HTMLEscaping.text(summary))</summary>\n" }
            xml += "  </entry>\n"
        }
        return xml + "</feed>\n"
    }

    /// The `limit` newest stories and papers with their bylines: by date, newest first, then by title, then
    /// stories before papers in the site's order (a stable sort's order). Chosen in one pass, not by
    /// sorting every document: for 10,000 of them the sort was most of an edit's feed.
    func newest(_ limit: Int) -> [(DocumentHeader, String)] {
        let stories = site.stories.count
        func date(_ index: Int) -> CalendarDate {
            (index < stories ? site.stories[index].header.date : site.papers[index - stories].header.date) ?? .distantPast
        }
        func title(_ index: Int) -> String { index < stories ? site.stories[index].header.title : site.papers[index - stories].header.title }
        func before(_ a: Int, _ b: Int) -> Bool {
            let (x, y) = (date(a), date(b))
            if x != y { return x > y }
            let (first, second) = (title(a), title(b))
            return first != second ? first < second : a < b
        }
        var chosen: [Int] = []
        for index in 0..<(stories + site.papers.count) where limit > 0 {
            guard chosen.count < limit || before(index, chosen[chosen.count - 1]) else { continue }
            chosen.insert(index, at: chosen.firstIndex { before(index, $0) } ?? chosen.count)
            if chosen.count > limit { chosen.removeLast() }
        }
        return chosen.map { index in
            index < stories ? (site.stories[index].header, site.stories[index].author)
                : (site.papers[index - stories].header, site.papers[index - stories].authors.map(\.name).joined(separator: "，"))
        }
    }

    func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(urls.absolute("/sitemap.xml"))\n"
    }
}

