public import Foundation
import PressAnthology
public import PressCore
import PressIncremental
import PressTemplates

extension BuildCache {
    /// Theme files, `site.yml` and the options that change every page.
    /// `bibliographies` are the bibliography files the content walk found, below `Content/`.
    static func fingerprint(theme: Theme, options: BuildOptions, bibliographies: [String]) -> String {
        var print = Fingerprint()
        print.add("qpress-\(formatVersion)")
        for (path, text) in theme.sources {
            print.add(path)
            print.add(text)
        }
        for asset in theme.assets { print.add(asset.outputPath) }
        if let siteFile = FileManager.default.contents(atPath: options.source.appendingPathComponent("Content/site.yml").path) {
            print.add(bytes: siteFile)
        }
        print.add(options.baseURL ?? "")
        print.add(options.includeDrafts ? "drafts" : "published")
        addBibliographies(bibliographies, to: &print, source: options.source)
        return print.hex
    }

    /// Bibliography files (`Content/references.*`, `.bib`/`.ris`/`.json` among the papers): any paper may
    /// cite from them, so a change renders every page again. They change rarely. Their paths come from the
    /// content walk: walking `Content/papers` again here took an eighth of an edit of 10,000 papers.
    /// A paper citing from any other file is rendered again on every build (`PlanStage`).
    static func addBibliographies(_ paths: [String], to print: inout Fingerprint, source: URL) {
        let content = source.appendingPathComponent("Content")
        for path in paths.sorted() {
            guard let bytes = FileManager.default.contents(atPath: content.appendingPathComponent(path).path) else { continue }
            print.add(path)
            print.add(bytes: bytes)
        }
    }
}

extension BookRecord {
    init(fingerprint: BookFingerprint, files: [String]) {
        self.init(inputs: fingerprint.inputs, files: files)
    }

    /// The inputs as the anthology renderer compares them.
    var fingerprint: BookFingerprint {
        get { BookFingerprint(inputs: inputs) }
        set { inputs = newValue.inputs }
    }
}

extension SiteBuilder {
    /// The link source map a qpress build left in `folder`, or an empty one.
    public static func linkSourceMap(in folder: URL) async -> LinkSourceMap {
        await BuildCache.load(from: folder)?.sourceMap ?? LinkSourceMap()
    }
}
