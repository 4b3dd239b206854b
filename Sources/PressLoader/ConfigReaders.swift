import Foundation
import PressCore
import PressDeploy
import PressModel

/// Reads a YAML file that is a mapping, reporting decoding problems as diagnostics.
private func readMapping(_ file: URL, relativePath: String) -> Result<YAMLFields, Diagnostic> {
    do {
        return readMapping(try Data(contentsOf: file), relativePath: relativePath)
    } catch {
        return .failure(.error(relativePath, "cannot read file: \(error.localizedDescription)"))
    }
}

private func readMapping(_ data: Data, relativePath: String) -> Result<YAMLFields, Diagnostic> {
    switch SourceText.decode(data) {
    case .success(let text): return YAMLFields.parse(text, file: relativePath, firstLine: 1)
    case .failure(let problem): return .failure(SourceText.diagnostic(for: problem, file: relativePath))
    }
}

/// `Content/site.yml`. Its `deploy:` section is read and checked with the rest, so a build reports a broken
/// deploy URL at its line; the targets themselves (PressDeploy's `DeployTarget`) go only to `qpress deploy`.
enum SiteConfigReader {
    static func read(file: URL, relativePath: String) -> (SiteConfig?, [Diagnostic]) {
        let (config, _, diagnostics) = readWithTargets(file: file, relativePath: relativePath)
        return (config, diagnostics)
    }

    static func readWithTargets(file: URL, relativePath: String) -> (SiteConfig?, [DeployTarget], [Diagnostic]) {
        switch readMapping(file, relativePath: relativePath) {
        case .success(var fields): return read(&fields)
        case .failure(let diagnostic): return (nil, [], [diagnostic])
        }
    }

    /// The file's bytes, already read (the fuzz target's entry).
    static func read(data: Data, relativePath: String) -> (SiteConfig?, [Diagnostic]) {
        switch readMapping(data, relativePath: relativePath) {
        case .success(var fields):
            let (config, _, diagnostics) = read(&fields)
            return (config, diagnostics)
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
    }

    private static func read(_ fields: inout YAMLFields) -> (SiteConfig?, [DeployTarget], [Diagnostic]) {
        let title = fields.string("title", required: true)
        let description = fields.string("description") ?? ""
        var baseURL = fields.string("base_url") ?? "/"
        if let problem = BaseURL.problem(baseURL) {
            fields.report(field: "base_url", "field 'base_url': \(problem)")
            baseURL = "/"
        }
        if !baseURL.hasSuffix("/") { baseURL += "/" }
        let language = fields.string("language") ?? "zh-CN"
        let organisation = fields.string("organisation") ?? ""
        let icp = fields.string("icp")
        let perPage = fields.int("per_page", default: 10, range: 1...1000) ?? 10
        let unsafeHTML = fields.bool("unsafe_html")
        let search = fields.bool("search", default: true)
        let pixelLimit = fields.int("image_pixel_limit", default: 100, range: 1...2000) ?? 100
        let citationStyle = fields.string("citation_style") ?? "numeric"
        if !["numeric", "author-date"].contains(citationStyle) {
            fields.report(field: "citation_style", "citation_style must be numeric (顺序编码制) or author-date (著者-出版年制)")
        }
        let navigation = fields.records("navigation") { item -> NavigationItem? in
            guard let title = item.string("title", required: true), let url = item.string("url", required: true) else { return nil }
            return NavigationItem(title: title, url: url)
        }
        let linkCheck = fields.nested("link_check") { check in
            LinkCheckConfig(exclude: check.strings("exclude"), accept: check.ints("accept", range: 100...599),
                            timeout: check.int("timeout", default: 10, range: 1...300) ?? 10,
                            cacheHours: check.int("cache_hours", default: 24, range: 0...24 * 365) ?? 24)
        }
        let deploy = DeployConfigReader.read(&fields)
        fields.rejectUnknownFields()
        guard let title else { return (nil, deploy, fields.diagnostics) }
        var config = SiteConfig(title: title, description: description, baseURL: baseURL, language: language,
                                organisation: organisation, icp: icp, perPage: perPage, unsafeHTML: unsafeHTML,
                                navigation: navigation, linkCheck: linkCheck ?? LinkCheckConfig())
        config.search = search
        config.imagePixelLimit = pixelLimit * 1_000_000
        config.citationStyle = citationStyle
        return (config, deploy, fields.diagnostics)
    }
}

/// `Content/slogans.yml` or `Content/slogans/*.yml`
enum SloganReader {
    static func read(file: URL, relativePath: String) -> (SloganSet?, [Diagnostic]) {
        var fields: YAMLFields
        switch readMapping(file, relativePath: relativePath) {
        case .success(let parsed): fields = parsed
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        let title = fields.string("title", required: true)
        let year = fields.int("year", range: 1900...3000)
        let theme = fields.string("theme", required: true)
        let source = fields.string("source")
        let slogans = fields.strings("slogans")
        if slogans.isEmpty { fields.report(field: "slogans", "field 'slogans' must list at least one slogan") }
        fields.rejectUnknownFields()
        guard let title, let theme, !fields.diagnostics.hasErrors else { return (nil, fields.diagnostics) }
        return (SloganSet(title: title, year: year, theme: theme, source: source, slogans: slogans), fields.diagnostics)
    }
}
