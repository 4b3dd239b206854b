import PressCore
import PressModel

/// The site's side of search: what of each document is indexed. The index itself is the search
/// renderer's, which takes each page's `PageText` as the page is rendered.
extension SiteRenderer {
    /// A document's text as the index reads it: its title (boosted), the fields shown on its page, and its body.
    func pageText(_ job: Document, outputPath: String, plainText: String) -> PageText {
        let header = job.header
        var fields: [String] = []
        var summary = header.summary
        switch job {
        case .story(let story):
            fields = [story.company, story.author, story.industry]
        case .paper(let paper):
            fields = paper.authors.flatMap { [$0.name, $0.affiliation] } + [paper.abstract] + paper.keywords
            if summary == nil { summary = paper.abstract }
        case .page(let page):
            fields = [page.documentNumber ?? ""] + page.issuers
        }
        if let own = header.summary { fields.append(own) }
        fields += header.tags
        return PageText(outputPath: outputPath, url: urls.href(header.route), title: header.title, kind: header.kind.displayName,
                        date: header.date?.chinese ?? "", summary: summary, fields: fields, body: plainText)
    }

    /// The output path of every document page: those an index of this site lists.
    public var documentOutputPaths: Set<String> {
        Set(documents.map { SiteURLs.outputPath($0.header.route) })
    }
}
