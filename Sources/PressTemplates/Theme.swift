public import Foundation
import Mustache
public import PressCore
public import PressModel

/// A theme: Mustache templates by name (`story`, `partials/header`) and the static files under its `assets/`.
/// A site's own `Templates/` overrides the default theme file by file.
public struct Theme: Sendable {
    private var library: MustacheLibrary
    /// The same templates compiled (`CompiledTemplate`), rendered without swift-mustache when they and the view allow.
    private var compiled = CompiledLibrary()
    private var compiling = true
    /// Template name → the file it came from, as shown in diagnostics.
    private let paths: [String: String]
    public var templateNames: Set<String> { Set(paths.keys) }
    /// Files under the theme's `assets/` folders, to copy to `assets/` in the output.
    public let assets: [StaticFile]
    /// Each template's and labels file's path (as shown in diagnostics) and text, for tools that read templates
    /// and for the build cache, which renders everything again when one of them changes.
    public let sources: [(path: String, text: String)]
    /// The theme's words by language, from `labels/<language>.yml` (the site's file winning, like any template).
    public private(set) var labelsByLanguage: [String: ThemeLabels] = [:]
    /// Other files of the theme by relative path (`print/print.css`, `epub/epub.css`), the site's winning:
    /// stylesheets and resources a renderer reads itself instead of copying.
    public var resources: [String: URL] = [:]
    /// Partials whose first line is `{{! cached }}`, rendered once per state of the navigation (`withCachedPartials`).
    public private(set) var cachedPartials: [String] = []
    /// Per template: whether it uses `content` beyond printing it as a variable, and the partials it includes.
    private var contentUses: [String: (beyondVariables: Bool, partials: [String])] = [:]

    /// Templates every site theme must provide (in the site or the default theme).
    public static let siteTemplates = ["home", "story", "paper", "page", "list", "tag", "tags", "slogans", "404"]
    /// The folders of the anthologies' templates (`print/book`, `web/book`, `epub/page` and their partials).
    static let bookFolders = ["print/", "web/", "epub/"]

    public static func isBookTemplate(_ name: String) -> Bool { bookFolders.contains { name.hasPrefix($0) } }

    /// Loads templates from `folders`, later folders overriding earlier ones.
    /// `displayPath` turns a file URL into the path printed in diagnostics. With `compiling` false, every
    /// page is rendered by swift-mustache, none by the compiled templates. With `books` false, the books'
    /// templates are read (for the fingerprints) but not parsed: they are most of the parsing, and a site
    /// without anthologies never renders them, nor reports their mistakes.
    public static func load(folders: [URL], required: [String] = siteTemplates, compiling: Bool = true, books: Bool = true,
                            displayPath: (URL) -> String) -> (Theme?, [Diagnostic]) {
        let (sources, assets, resources, problems) = read(folders, displayPath: displayPath)
        var diagnostics = problems
        var library = MustacheLibrary()
        var compiled = CompiledLibrary()
        _ = ByteEscaping.register
        var references: [String: [PartialReference]] = [:]
        var contentUses: [String: (beyondVariables: Bool, partials: [String])] = [:]
        for source in sources.values.sorted(by: { $0.name < $1.name }) {
            let scan = TemplateScan(source.text)
            contentUses[source.name] = (scan.usesContentBeyondVariables, scan.references.map(\.name))
            references[source.name] = scan.references.filter { sources[$0.name] != nil }
            let limits = TemplateLimits.problems(source.text, scan, file: source.path)
            if !limits.isEmpty {
                // swift-mustache's parser would take minutes, or overflow the stack: it never sees this text.
                diagnostics += limits
            } else if books || !isBookTemplate(source.name) {
                diagnostics += parse(source, into: &library, compiling: compiling, into: &compiled)
            }
            for reference in scan.references where sources[reference.name] == nil {
                diagnostics.append(.error(source.path, line: reference.line, column: reference.column,
                                          "missing partial \(Diagnostic.quote(reference.name)) (no \(Diagnostic.clipped(reference.name)).mustache in the site's Templates/ or the default theme)"))
            }
        }
        diagnostics += PartialCycles.find(references, paths: sources.mapValues(\.path))
        for name in required where sources[name] == nil {
            diagnostics.append(.error("Templates/\(name).mustache", "missing template '\(name)' (not in the site's Templates/ nor in the default theme)"))
        }
        let labels = readLabels(resources, displayPath: displayPath)
        diagnostics += labels.problems
        var theme = Theme(library: library, paths: sources.mapValues(\.path),
                          assets: assets.values.sorted { $0.outputPath < $1.outputPath },
                          sources: (sources.values.map { ($0.path, $0.text) } + labels.sources).sorted { $0.path < $1.path })
        theme.resources = resources
        theme.compiled = compiled
        theme.compiling = compiling
        theme.labelsByLanguage = labels.byLanguage
        theme.contentUses = contentUses
        theme.cachedPartials = sources.values.filter { CachedPartial.isMarked($0.text) }.map(\.name).sorted()
        return (diagnostics.hasErrors ? nil : theme, diagnostics)
    }

    /// The templates, assets and other files of `folders`, later folders overriding earlier ones.
    private static func read(_ folders: [URL], displayPath: (URL) -> String)
        -> ([String: TemplateSource], [String: StaticFile], [String: URL], [Diagnostic]) {
        var sources: [String: TemplateSource] = [:]
        var assets: [String: StaticFile] = [:]
        var resources: [String: URL] = [:]
        var diagnostics: [Diagnostic] = []
        for folder in folders {
            for file in files(in: folder, problems: &diagnostics, displayPath: displayPath) {
                let relative = file.relative
                if relative.hasPrefix("assets/") {
                    assets[relative] = StaticFile(sourceFile: file.url.path, outputPath: relative)
                } else if relative.hasSuffix(".mustache") {
                    let name = String(relative.dropLast(".mustache".count))
                    guard let data = try? Data(contentsOf: file.url) else {
                        diagnostics.append(.error(displayPath(file.url), "cannot read template"))
                        continue
                    }
                    switch SourceText.decode(data) {
                    case .success(let text): sources[name] = TemplateSource(name: name, path: displayPath(file.url), text: text)
                    case .failure(let problem): diagnostics.append(SourceText.diagnostic(for: problem, file: displayPath(file.url)))
                    }
                } else {
                    resources[relative] = file.url
                }
            }
        }
        return (sources, assets, resources, diagnostics)
    }

    /// The labels files among the theme's other files (`labels/zh-CN.yml`), each read and checked.
    private static func readLabels(_ resources: [String: URL], displayPath: (URL) -> String)
        -> (byLanguage: [String: ThemeLabels], sources: [(path: String, text: String)], problems: [Diagnostic]) {
        var byLanguage: [String: ThemeLabels] = [:], sources: [(path: String, text: String)] = [], problems: [Diagnostic] = []
        for (relative, url) in resources.sorted(by: { $0.key < $1.key }) where relative.hasPrefix("labels/") && relative.hasSuffix(".yml") {
            let language = String(relative.dropFirst("labels/".count).dropLast(".yml".count))
            switch ThemeLabels.read(url, path: displayPath(url)) {
            case .success(let labels):
                byLanguage[language] = labels
                sources.append((displayPath(url), labels.values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")))
            case .failure(let problem): problems.append(problem)
            }
        }
        return (byLanguage, sources, problems)
    }

    /// The labels for a site in `language`: its own labels file, else the theme's default language's, else none.
    public func labels(for language: String) -> ThemeLabels {
        labelsByLanguage[language] ?? labelsByLanguage[ThemeLabels.defaultLanguage] ?? ThemeLabels()
    }

    private static func parse(_ source: TemplateSource, into library: inout MustacheLibrary,
                              compiling: Bool, into compiled: inout CompiledLibrary) -> [Diagnostic] {
        do {
            let template = try MustacheTemplate(string: ByteEscaping.pragma + source.text)
            library.register(template, named: source.name)
            if compiling { compiled.register(template, named: source.name) }
            return []
        } catch let error as MustacheTemplate.ParserError {
            // The pragma line comes before the file's first line.
            return [.error(source.path, line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber,
                           "template syntax error: \(error.error)")]
        } catch {
            return [.error(source.path, "template syntax error: \(error)")]
        }
    }

    /// Whether the templates `roots`, their layouts and partials print `content` only as a variable, never in a
    /// section or a transform: then a page's body may be spliced in after rendering (`ContentMarker`).
    /// Other templates (an anthology's) do not count: they never render these pages.
    public func splicesContent(from roots: [String]) -> Bool {
        var seen = Set<String>(), waiting = roots
        while let name = waiting.popLast() {
            guard seen.insert(name).inserted, let use = contentUses[name] else { continue }
            if use.beyondVariables { return false }
            waiting += use.partials
        }
        return true
    }

    public func hasTemplate(_ name: String) -> Bool { paths[name] != nil }

    /// The file a template was loaded from (`Templates/story.mustache`).
    public func sourcePath(of name: String) -> String? { paths[name] }

    /// Renders `view` with the template `name`. Views are dictionaries or `TemplateFields`: swift-mustache
    /// reads both without reflection, which is several times faster than structs.
    public func render(_ view: [String: Any], template name: String) -> String {
        renderReporting(view, template: name).text
    }

    /// Renders a view held as `TemplateFields` (a list entry rendered with `partials/entry`).
    public func render(_ view: TemplateFields, template name: String) -> String {
        renderReporting(view, template: name).text
    }

    /// Renders `view` with the template `name`, and tells whether its compiled form did (`CompiledTemplate`):
    /// else swift-mustache did, the template or the view holding something the compiled form leaves to it.
    public func renderReporting(_ view: Any, template name: String) -> (text: String, compiled: Bool) {
        if let text = compiled.render(view, template: name) { return (text, true) }
        return (library.render(view, withTemplate: name) ?? "", false)
    }

    /// `view` rendered by swift-mustache alone, as every page was before templates were compiled (for tests).
    func renderWithSwiftMustache(_ view: Any, template name: String) -> String {
        library.render(view, withTemplate: name) ?? ""
    }

    /// `view` rendered by the compiled templates alone; nil when they leave it to swift-mustache (for tests).
    func renderCompiled(_ view: Any, template name: String) -> String? {
        compiled.render(view, template: name)
    }

    /// Whether the template `name` was compiled (for tests).
    func isCompiled(_ name: String) -> Bool { compiled.isCompiled(name) }

    /// The theme with each cached partial replaced by its text, rendered once from `view`: a site's
    /// header and footer are the same on every page of a section, like Jekyll's `include_cached` or
    /// Hugo's `partialCached`. A partial whose text cannot be kept as it is stays a template.
    public func withCachedPartials(renderedFrom view: [String: Any]) -> Theme {
        var theme = self
        for name in cachedPartials {
            if let text = CachedPartial.literal(render(view, template: name)) {
                theme.library.register(text, named: name)
                if theme.compiling { theme.compiled.register(text, named: name) }
            }
        }
        return theme
    }

    /// The text of a resource file (`print/print.css`), nil when the theme has none.
    public func resourceText(_ path: String) -> String? {
        guard let url = resources[path], let data = try? Data(contentsOf: url) else { return nil }
        return try? SourceText.decode(data).get()
    }

    private struct TemplateSource {
        var name: String
        var path: String
        var text: String
    }

    /// The theme's files. Links may lead anywhere in the folder holding it (the site folder for a site's
    /// `Templates/`); one leading elsewhere is an error, and is not read.
    private static func files(in folder: URL, problems: inout [Diagnostic], displayPath: (URL) -> String) -> [(url: URL, relative: String)] {
        let folder = folder.standardizedFileURL
        let walk = DirectoryWalk.walk(folder, within: folder.deletingLastPathComponent())
        problems += walk.problems.map { $0.diagnostic(file: displayPath(folder.appendingPathComponent($0.path))) }
        return walk.entries.map { (folder.appendingPathComponent($0.path), $0.path) }
    }
}

/// swift-mustache escapes variables Character by Character through a dictionary lookup, which
/// was a tenth of a build's CPU on Chinese text. Every template starts with a pragma selecting the
/// same escaping (`& < > " '`) done on UTF-8 bytes. The pragma is a standalone line, so it renders nothing.
enum ByteEscaping: MustacheContentType {
    case html

    func escapeText(_ text: String) -> String { HTMLEscaping.attribute(text) }

    static let name = "QPRESS_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(name) }}\n"
    /// Runs once, before the first template is parsed (the parser looks the name up).
    static let register: Void = MustacheContentTypes.register(ByteEscaping.html, named: name)
}

/// A partial that starts with the line `{{! cached }}`, and its rendered text as a template.
enum CachedPartial {
    static func isMarked(_ text: String) -> Bool {
        let firstLine = text.prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        guard firstLine.hasPrefix("{{!"), firstLine.hasSuffix("}}") else { return false }
        return firstLine.dropFirst(3).dropLast(2).trimmingCharacters(in: .whitespaces) == "cached"
    }

    /// A template printing `text` as it is: its tags are switched to delimiters the text does not hold,
    /// and the result is checked by rendering it once.
    static func literal(_ text: String) -> MustacheTemplate? {
        guard !text.utf8.contains(1), let template = try? MustacheTemplate(string: "{{=\u{1}( )\u{1}=}}" + text),
              template.render([String: Any]()) == text else { return nil }
        return template
    }
}

/// `{{> name}}` and `{{< name}}` tags in a template's text, with their positions, so that
/// a missing partial is reported instead of silently rendering nothing.
struct PartialReference: Equatable {
    var name: String
    var line: Int
    var column: Int

    static func scan(_ text: String) -> [PartialReference] { TemplateScan(text).references }
}
