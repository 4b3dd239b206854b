import PressCore
import PressMarkdown
import PressModel
import PressTemplates

/// The values templates see. Every key here is documented in the README's "Template variables".
/// Views are dictionaries, or `TemplateFields` for those made per page (swift-mustache reads both
/// without reflection); their strings are `TemplateText` and their numbers `TemplateNumber`, which it
/// prints at its second dynamic cast instead of about its sixth.
struct ViewBuilder: @unchecked Sendable {
    // Unchecked: the views kept here hold only strings, numbers, arrays and dictionaries, never mutated.
    let site: Site
    let urls: SiteURLs
    /// `site` and `labels` as every view holds them, made once rather than for each of 10,000 pages.
    private let siteView: [String: Any]
    private let labelsView: [String: Any]
    private let navigation: [(item: NavigationItem, href: String)]
    /// `nav` by the indexes of its current items, for each navigation item's route and for none current.
    private let navViews: [[Int]: [[String: Any]]]
    /// Tag → its page's route and link, made once per tag rather than once per mention.
    let tagRoutes: [String: (route: String, href: String)]
    /// Tag → its `{name, url}` view, one dictionary shared by every document and list entry that shows it.
    private let tagViews: [String: TemplateFields]

    let images: SiteImages
    /// The theme's words in the site's language, `labels` in every view.
    let labels: ThemeLabels

    /// `tags`: `distinctTags(site)`, when the caller made them already.
    init(site: Site, urls: SiteURLs, images: SiteImages, labels: ThemeLabels, tags: [String]? = nil) {
        self.site = site
        self.urls = urls
        self.images = images
        self.labels = labels
        let config = site.config
        var values: [(String, String)] = [
            ("title", config.title), ("description", config.description), ("base_url", config.baseURL),
            ("base_path", urls.basePath), ("language", config.language),
            ("og_locale", String(config.language.map { $0 == "-" ? "_" : $0 })),
            ("organisation", config.organisation), ("feed_url", urls.href("/atom.xml")),
            ("assets", urls.href("/assets/")),
        ]
        if config.search { values.append(("search_url", urls.href("/search/"))) }
        if let icp = config.icp { values.append(("icp", icp)) }
        if !site.slogans.isEmpty { values.append(("slogans_url", urls.href("/slogans/"))) }
        siteView = Dictionary(uniqueKeysWithValues: values.map { ($0.0, TemplateText($0.1) as Any) })
        labelsView = labels.values.mapValues { TemplateText($0) as Any }
        let navigation = config.navigation.map { ($0, $0.url.hasPrefix("/") ? urls.href($0.url) : $0.url) }
        self.navigation = navigation
        var navViews: [[Int]: [[String: Any]]] = [:]
        for route in navigation.map(\.0.url) + ["\u{0}"] {
            let current = Self.currentItems(navigation.map(\.0), route: route)
            navViews[current] = Self.navView(navigation, current: current)
        }
        self.navViews = navViews
        var routes: [String: (route: String, href: String)] = [:]
        // A tag spelled two canonically equal ways gets the route of the spelling met first.
        for tag in tags ?? Self.distinctTags(site) where routes[tag] == nil {
            let route = SiteURLs.tagRoute(tag)
            routes[tag] = (route, urls.href(route))
        }
        tagRoutes = routes
        tagViews = Dictionary(uniqueKeysWithValues: routes.map { ($0.key, Self.tagView($0.key, href: $0.value.href)) })
    }

    /// Every document's tags, each once by its bytes, in the order first met.
    static func distinctTags(_ site: Site) -> [String] {
        var seen = Set<UTF8Key>(), tags: [String] = []
        func add(_ documentTags: [String]) {
            for tag in documentTags where seen.insert(UTF8Key(tag)).inserted { tags.append(tag) }
        }
        // By index: `site.headers` copied 10,000 headers to read their tags.
        for index in site.stories.indices { add(site.stories[index].header.tags) }
        for index in site.papers.indices { add(site.papers[index].header.tags) }
        for index in site.pages.indices { add(site.pages[index].header.tags) }
        return tags
    }

    /// The navigation items' own routes.
    var navigationRoutes: [String] { navigation.map(\.item.url) }

    /// `site`, `nav` and `page`: what every template gets.
    func base(route: String, title: String?, description: String?, type: String = "website", image: String? = nil) -> [String: Any] {
        let config = site.config
        var page = TemplateFields(minimumCapacity: 7)
        page["title"] = TemplateText(title.map { "\($0) - \(config.title)" } ?? config.title)
        page["heading"] = TemplateText(title ?? config.title)
        page["description"] = TemplateText(description ?? config.description)
        page["url"] = TemplateText(urls.absolute(route))
        page["path"] = TemplateText(urls.href(route))
        page["og_type"] = TemplateText(type)
        if let image {
            // Open Graph wants about 1200 px: the processed image's variant nearest that, or an SVG's JPEG.
            let processed = images.sourcePath(ofRootRelative: image).flatMap { images.byPath[$0]?.openGraph }
            page["og_image"] = TemplateText(image.hasPrefix("http") ? image : urls.absolute(processed.map { "/" + $0.path } ?? image))
        }
        let current = Self.currentItems(navigation.map(\.item), route: route)
        let nav = navViews[current] ?? Self.navView(navigation, current: current)
        return ["site": siteView, "nav": nav, "page": page, "labels": labelsView]
    }

    /// The indexes of the navigation items current on the page at `route`.
    private static func currentItems(_ items: [NavigationItem], route: String) -> [Int] {
        items.indices.filter { items[$0].url == "/" ? route == "/" : route.hasPrefix(items[$0].url) }
    }

    private static func navView(_ navigation: [(item: NavigationItem, href: String)], current: [Int]) -> [[String: Any]] {
        navigation.enumerated().map { index, link in
            var entry: [String: Any] = ["title": TemplateText(link.item.title), "url": TemplateText(link.href)]
            if current.contains(index) { entry["current"] = true }
            return entry
        }
    }

    func tags(_ names: [String]) -> [TemplateFields] {
        names.map { tagViews[$0] ?? Self.tagView($0, href: tagHref($0)) }
    }

    private static func tagView(_ name: String, href: String) -> TemplateFields {
        var view = TemplateFields(minimumCapacity: 2)
        view["name"] = TemplateText(name)
        view["url"] = TemplateText(href)
        return view
    }

    func tagHref(_ name: String) -> String { tagRoutes[name]?.href ?? urls.href(SiteURLs.tagRoute(name)) }

    /// `content` is the body's placeholder (`ContentMarker`), or nil for the body itself.
    func common(_ header: DocumentHeader, rendered: RenderedMarkdown, content: TemplateText? = nil) -> TemplateFields {
        let statistics = rendered.textStatistics
        var view = TemplateFields(minimumCapacity: 20)
        view["title"] = TemplateText(header.title)
        view["slug"] = TemplateText(header.slug)
        view["url"] = TemplateText(urls.href(header.route))
        view["content"] = content ?? TemplateText(rendered.html)
        view["word_count"] = TemplateNumber(statistics.wordCount)
        view["reading_minutes"] = TemplateNumber(statistics.readingMinutes)
        view["tags"] = tags(header.tags)
        if let summary = header.summary { view["summary"] = TemplateText(summary) }
        if let date = header.date {
            view["date"] = TemplateText(date.chinese)
            view["date_iso"] = TemplateText(date.iso)
        }
        // A table of contents of one entry is noise.
        let toc = rendered.headings.filter { $0.level == 2 || $0.level == 3 }
        view["toc"] = toc.count < 2 ? [] : toc.map { heading in
            var item = TemplateFields(minimumCapacity: 4)
            item["level"] = TemplateNumber(heading.level)
            item["text"] = TemplateText(heading.text)
            item["id"] = TemplateText(heading.id)
            item["href"] = TemplateText("#" + URLPath.encode(heading.id))
            return item
        }
        return view
    }

    func story(_ story: BrandStory, rendered: RenderedMarkdown, content: TemplateText? = nil) -> TemplateFields {
        var view = common(story.header, rendered: rendered, content: content)
        view["company"] = TemplateText(story.company)
        view["author"] = TemplateText(story.author)
        view["industry"] = TemplateText(story.industry)
        if let cover = story.cover {
            for (key, value) in coverFields(cover) { view[key] = TemplateText(value) }
        }
        return view
    }

    /// A story's `cover:` as pages and cards show it: `cover` (a processed image's variant nearest 960 px),
    /// and for a processed image `cover_srcset`, `cover_width` and `cover_height`.
    func coverFields(_ cover: String) -> [(String, String)] {
        guard let web = images.sourcePath(ofRootRelative: cover).flatMap({ images.byPath[$0] }), let shown = web.fallback(atLeast: 960) else {
            return [("cover", cover.hasPrefix("/") ? urls.href(cover) : cover)]
        }
        return [("cover", urls.href("/" + shown.path)), ("cover_srcset", images.srcset(web.fallbacks)),
                ("cover_width", String(shown.width)), ("cover_height", String(shown.height))]
    }

    func paper(_ paper: Paper, rendered: RenderedMarkdown, content: TemplateText? = nil) -> TemplateFields {
        var view = common(paper.header, rendered: rendered, content: content)
        // Authors are marked with the number of their affiliation, as journals print them.
        var affiliations: [String] = []
        let authors: [TemplateFields] = paper.authors.map { author in
            if !affiliations.contains(author.affiliation) { affiliations.append(author.affiliation) }
            let number = (affiliations.firstIndex(of: author.affiliation) ?? 0) + 1
            return ["name": TemplateText(author.name), "affiliation": TemplateText(author.affiliation), "affiliation_number": TemplateNumber(number)]
        }
        view["authors"] = authors
        view["authors_text"] = TemplateText(paper.authors.map(\.name).joined(separator: "，"))
        view["affiliations"] = affiliations.enumerated().map { ["number": TemplateNumber($0.offset + 1), "name": TemplateText($0.element)] as TemplateFields }
        view["abstract"] = TemplateText(paper.abstract)
        if !paper.keywords.isEmpty {
            view["keywords"] = paper.keywords.map { ["name": TemplateText($0)] as TemplateFields }
            view["keywords_text"] = TemplateText(paper.keywords.joined(separator: "；"))
        }
        return view
    }

    func page(_ page: Page, rendered: RenderedMarkdown, content: TemplateText? = nil) -> TemplateFields {
        var view = common(page.header, rendered: rendered, content: content)
        if let number = page.documentNumber { view["doc_number"] = TemplateText(number) }
        if !page.issuers.isEmpty {
            view["issuers"] = page.issuers.map { ["name": TemplateText($0)] as TemplateFields }
            view["issuers_text"] = TemplateText(page.issuers.joined(separator: "　"))
        }
        return view
    }

    /// One line of a list page, enough to choose what to read, and the fingerprint of its values,
    /// taken field by field as they are set (cheaper than hashing the finished view).
    /// A list entry's view and fingerprint; the view only `withView` (an incremental build needs the
    /// fingerprints of every entry, and the views only of the entries on pages it renders again).
    /// One list of fields for both, so that the fingerprint changes whenever the view does.
    func entry(_ header: DocumentHeader, byline: String, summary: String?, cover: String? = nil,
               withView: Bool) -> (view: TemplateFields, print: String) {
        var view = TemplateFields(minimumCapacity: withView ? 12 : 0)
        var print = Fingerprint()
        func set(_ key: String, _ value: String) {
            if withView { view[key] = TemplateText(value) }
            print.add(key)
            print.add(value)
        }
        set("title", header.title)
        set("url", urls.href(header.route))
        set("kind", header.kind.displayName)
        set("byline", byline)
        if let summary { set("summary", summary) }
        if let cover {
            for (key, value) in coverFields(cover) { set(key, value) }
        }
        if let date = header.date {
            set("date", date.chinese)
            set("date_iso", date.iso)
        }
        if withView { view["tags"] = tags(header.tags) }
        for name in header.tags {
            print.add(name)
            print.add(tagHref(name))
        }
        return (view, print.hex)
    }

    /// What a list shows of a document besides its header.
    func entryLine(_ story: BrandStory) -> EntryLine {
        EntryLine(byline: "\(story.company) · \(story.author)", summary: story.header.summary, cover: story.cover)
    }

    func entryLine(_ paper: Paper) -> EntryLine {
        EntryLine(byline: paper.authors.map(\.name).joined(separator: "，"), summary: paper.header.summary ?? paper.abstract)
    }

    func entryLine(_ page: Page) -> EntryLine {
        EntryLine(byline: page.documentNumber ?? page.issuers.joined(separator: "，"), summary: page.header.summary)
    }

    func pagination(section: String, current: Int, total: Int) -> [String: Any]? {
        guard total > 1 else { return nil }
        var view: [String: Any] = [
            "current": TemplateNumber(current),
            "total": TemplateNumber(total),
            "pages": Self.pageWindow(current: current, total: total).map { number -> [String: Any] in
                guard let number else { return ["gap": true] }
                return ["number": TemplateNumber(number), "url": TemplateText(urls.href(SiteURLs.listRoute(section, page: number))), "current": number == current]
            },
        ]
        if current > 1 { view["prev_url"] = TemplateText(urls.href(SiteURLs.listRoute(section, page: current - 1))) }
        if current < total { view["next_url"] = TemplateText(urls.href(SiteURLs.listRoute(section, page: current + 1))) }
        return view
    }

    /// First, last, and two on each side of the current page; nil marks a gap.
    /// Linking every page from every page would make a 500-page list quadratic.
    static func pageWindow(current: Int, total: Int) -> [Int?] {
        let shown = Set([1, total] + Array(max(1, current - 2)...min(total, current + 2)))
        var window: [Int?] = []
        for number in shown.sorted() {
            if let last = window.last ?? nil, number > last + 1 { window.append(nil) }
            window.append(number)
        }
        return window
    }

    func sloganSet(_ set: SloganSet) -> [String: Any] {
        var view: [String: Any] = [
            "title": TemplateText(set.title),
            "theme": TemplateText(set.theme),
            "slogans": set.slogans.enumerated().map { ["number": TemplateNumber($0.offset + 1), "text": TemplateText($0.element)] as [String: Any] },
        ]
        if let year = set.year { view["year"] = TemplateNumber(year) }
        if let source = set.source { view["source"] = TemplateText(source) }
        return view
    }
}

/// What a list shows of a document besides its header: the byline, the summary, a story's cover.
struct EntryLine {
    var byline: String
    var summary: String?
    var cover: String?
}
