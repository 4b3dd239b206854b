public import Foundation
import PressAnthology
public import PressCore
import PressIncremental
import PressTemplates

extension BuildCache {
    /// Theme files, `site.yml` and the options that change every page.
    static func fingerprint(theme: Theme, options: BuildOptions) -> String {
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
        addBibliographies(to: &print, source: options.source)
        return print.hex
    }

    /// Bibliography files (`Content/references.*`, `.bib`/`.ris`/`.json` among the papers): any paper may
    /// cite from them, so a change renders every page again. They change rarely.
    static func addBibliographies(to print: inout Fingerprint, source: URL) {
        let content = source.appendingPathComponent("Content")
        var paths = ["references.json", "references.bib", "references.ris"]
        let papers = content.appendingPathComponent("papers").path
        if let walk = FileManager.default.enumerator(atPath: papers) {
            for case let path as String in walk where ["bib", "bibtex", "ris", "json"].contains((path as NSString).pathExtension.lowercased()) {
                paths.append("papers/" + path)
            }
        }
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
