import PressCore
import PressModel

/// `sitemap.xml`, `atom.xml` and `robots.txt`, written in code: their formats are fixed, not themed.
struct Feeds {
    let site: Site
    let urls: SiteURLs

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
        let entries = (site.stories.map { ($0.header, $0.author) } + site.papers.map { ($0.header, $0.authors.map(\.name).joined(separator: "，")) })
            .sorted { ($0.0.date ?? .distantPast, $1.0.title) > ($1.0.date ?? .distantPast, $0.0.title) }
            .prefix(limit)
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

    func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(urls.absolute("/sitemap.xml"))\n"
    }
}

