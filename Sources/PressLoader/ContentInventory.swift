import Foundation
import PressCore
import PressModel

/// A document file found by the walk. A plain path, not a URL: building 10,000 URLs took a
/// twentieth of an incremental build, which reads one or two of the files.
struct ContentFile: Sendable {
    let file: String
    let kind: ContentKind
    let stamp: FileStamp
    let path: String
}

/// One walk over `Content/`, sorting every file into what it is.
struct ContentInventory {
    var siteConfig: URL?
    var sloganFiles: [URL] = []
    var anthologyFiles: [URL] = []
    /// Each document's file, kind, stamp and path below the site folder (`Content/stories/x.md`).
    var documents: [ContentFile] = []
    var staticFiles: [StaticFile] = []
    var diagnostics: [Diagnostic] = []

    static func scan(_ content: URL) -> ContentInventory {
        var inventory = ContentInventory()
        let root = content.standardizedFileURL
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        // Links may lead anywhere in the site folder (`Content/`'s parent), and nowhere else.
        let walk = DirectoryWalk.walk(root, within: root.deletingLastPathComponent())
        inventory.diagnostics += walk.problems.map { $0.diagnostic(file: "Content/" + $0.path) }
        for file in walk.entries {
            // Names become output names; a newline in one would reach the output and the deploy tools.
            if file.path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                inventory.diagnostics.append(.error("Content/" + Diagnostic.escaped(file.path),
                                                    "file name contains a control character; rename it (output file names must not hold one)"))
                continue
            }
            inventory.classify(rootPath + file.path, file.path, FileStamp(size: file.size, modified: file.modified, changed: file.changed, inode: file.inode))
        }
        return inventory
    }

    static func isBibliography(_ path: String, top: String) -> Bool {
        let pathExtension = (path as NSString).pathExtension.lowercased()
        if ["references.json", "references.bib", "references.ris"].contains(path) { return true }
        return top == ContentKind.paper.folder && ["bib", "bibtex", "ris"].contains(pathExtension)
            || top == ContentKind.paper.folder && pathExtension == "json"
    }

    private mutating func classify(_ file: String, _ path: String, _ stamp: FileStamp) {
        var url: URL { URL(fileURLWithPath: file) }
        let components = path.split(separator: "/").map(String.init)
        let top = components.first ?? ""
        let isMarkdown = path.hasSuffix(".md") || path.hasSuffix(".markdown")
        if path == "site.yml" || path == "site.yaml" {
            siteConfig = url
        } else if path == "slogans.yml" || path == "slogans.yaml" || (top == "slogans" && (path.hasSuffix(".yml") || path.hasSuffix(".yaml"))) {
            sloganFiles.append(url)
        } else if top == ContentLoader.anthologiesFolder {
            // Manifests; their prefaces and appendices are read through them, never as pages.
            if components.count == 2 && (path.hasSuffix(".yml") || path.hasSuffix(".yaml")) { anthologyFiles.append(url) }
        } else if let kind = ContentKind(rawValue: top), components.count > 1, isMarkdown {
            documents.append(ContentFile(file: file, kind: kind, stamp: stamp, path: "Content/" + path))
        } else if Self.isBibliography(path, top: top) {
            // Read by papers' citations, not published: `references.*` and `.bib`/`.ris` beside the papers.
            return
        } else if isMarkdown {
            let known = ContentKind.allCases.map(\.folder).joined(separator: ", ")
            diagnostics.append(.error("Content/\(path)", "unknown content type: Markdown files belong in one of the folders \(known)"))
        } else {
            staticFiles.append(StaticFile(sourceFile: file, outputPath: path))
        }
    }
}
