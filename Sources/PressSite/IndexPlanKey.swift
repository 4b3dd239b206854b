import PressCore
import PressModel

/// The hash of everything the index pages (home, lists, tag pages, the tags page, slogans, search,
/// 404) and the feeds (`sitemap.xml`, `atom.xml`, `robots.txt`) are made from. When it equals the
/// previous build's, each of them is what it was, and the build takes them all without planning
/// one (an early cut-off, as Shake's or Salsa's): editing a page's text leaves every list as it was,
/// and planning them made a sixth of such an edit on 10,000 pages.
///
/// Made of the values themselves, never of views: every document's fields but its body, the
/// covers as entries show them (their images' variants), the slogans, the anthologies' titles and
/// `site.yml`'s values. The theme (templates, labels), `site.yml`'s file and the build options are
/// not in it: they are in `BuildCache.fingerprint`, whose change leaves no previous output to reuse.
enum IndexPlanKey {
    /// The key's entry among the index pages' fingerprints in the build cache: a page's path never starts with `/`.
    static let entry = "/index-plan"
    /// The entry of the documents' part of the key (`documents(of:)`): an edit of texts alone takes it as it was.
    static let documentsEntry = "/index-plan-documents"

    /// Bump when the index pages or feeds come to show a value the key does not hold yet.
    static let version = "index-plan-2"

    /// `documents` is `documents(of: site)`, made now or taken from the previous build.
    static func make(site: Site, views: ViewBuilder, documents: String) -> String {
        var key = Fingerprint()
        key.add(version)
        // Every field, as its description prints them: a value `site.yml` gains is in the key without a change here.
        key.add(String(describing: site.config))
        key.add(String(describing: site.slogans))
        for book in site.anthologies {
            key.add(book.name)
            key.add(book.title)
            key.add(optional: book.subtitle)
        }
        // The covers as lists show them: a processed image's variants, which change with its content.
        var covers: Set<String> = []
        for index in site.stories.indices {
            guard let cover = site.stories[index].cover, covers.insert(cover).inserted else { continue }
            key.add(cover)
            for (name, value) in views.coverFields(cover) {
                key.add(name)
                key.add(value)
            }
        }
        key.add(documents)
        return key.hex
    }

    /// Every document's fields but its body, in the site's order.
    static func documents(of site: Site) -> String {
        var key = Fingerprint()
        for story in site.stories {
            add(story.header, to: &key)
            key.add(story.company)
            key.add(story.author)
            key.add(story.industry)
            key.add(optional: story.cover)
        }
        for paper in site.papers {
            add(paper.header, to: &key)
            key.add(count: paper.authors.count)
            for author in paper.authors {
                key.add(author.name)
                key.add(author.affiliation)
            }
            key.add(paper.abstract)
            key.add(list: paper.keywords)
        }
        for page in site.pages {
            add(page.header, to: &key)
            key.add(optional: page.documentNumber)
            key.add(list: page.issuers)
        }
        return key.hex
    }

    /// Every field of the header but the body (and the line it starts on), which no list shows.
    private static func add(_ header: DocumentHeader, to key: inout Fingerprint) {
        key.add(header.kind.rawValue)
        key.add(header.sourcePath)
        key.add(header.slug)
        key.add(header.title)
        if let date = header.date {
            key.add(count: date.year * 10_000 + date.month * 100 + date.day)
        } else {
            key.add(count: -1)
        }
        key.add(list: header.tags)
        key.add(optional: header.summary)
        key.add(count: header.draft ? 1 : 0)
    }
}

private extension Fingerprint {
    /// A value or its absence, told apart from an empty string.
    mutating func add(optional value: String?) {
        if let value {
            add("+")
            add(value)
        } else {
            add("-")
        }
    }

    /// The count first: `["a", "b"]` then `"c"` differs from `["a"]` then `"b"`, `"c"`.
    mutating func add(list values: [String]) {
        add(count: values.count)
        for value in values { add(value) }
    }

    mutating func add(count: Int) {
        withUnsafeBytes(of: count.littleEndian) { add(bytes: $0) }
    }
}
