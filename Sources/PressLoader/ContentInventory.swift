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
    /// Bibliography files papers may cite from (`isBibliography`), below `Content/`: read when cited, never published.
    var bibliographyFiles: [String] = []
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
            if hasControlCharacter(file.path) {
                inventory.diagnostics.append(.error("Content/" + Diagnostic.escaped(file.path),
                                                    "file name contains a control character; rename it (output file names must not hold one)"))
                continue
            }
            inventory.classify(rootPath + file.path, file.path, FileStamp(size: file.size, modified: file.modified, changed: file.changed, inode: file.inode))
        }
        return inventory
    }

    /// Whether `path` holds a control character (general category Cc: U+0000–U+001F, U+007F–U+009F),
    /// read in UTF-8 bytes: asking each scalar for its Unicode properties was a hundredth of an edit.
    static func hasControlCharacter(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) { return true }
            previous = byte
        }
        return false
    }

    static func isBibliography(_ path: String, top: String) -> Bool {
        let pathExtension = (path as NSString).pathExtension.lowercased()
        if ["references.json", "references.bib", "references.ris"].contains(path) { return true }
        return top == ContentKind.paper.folder && ["bib", "bibtex", "ris"].contains(pathExtension)
            || top == ContentKind.paper.folder && pathExtension == "json"
    }

    private mutating func classify(_ file: String, _ path: String, _ stamp: FileStamp) {
        var url: URL { URL(fileURLWithPath: file) }
        // The top folder and whether there are more levels: splitting every path into strings showed.
        let slash = path.utf8.firstIndex(of: UInt8(ascii: "/"))
        let top = slash.map { String(path[..<$0]) } ?? path
        let depth = slash.map { path.utf8[path.utf8.index(after: $0)...].contains(UInt8(ascii: "/")) ? 3 : 2 } ?? 1
        let isMarkdown = path.hasSuffix(".md") || path.hasSuffix(".markdown")
        if path == "site.yml" || path == "site.yaml" {
            siteConfig = url
        } else if path == "slogans.yml" || path == "slogans.yaml" || (top == "slogans" && (path.hasSuffix(".yml") || path.hasSuffix(".yaml"))) {
            sloganFiles.append(url)
        } else if top == ContentLoader.anthologiesFolder {
            // Manifests; their prefaces and appendices are read through them, never as pages.
            if depth == 2 && (path.hasSuffix(".yml") || path.hasSuffix(".yaml")) { anthologyFiles.append(url) }
        } else if let kind = ContentKind(rawValue: top), depth > 1, isMarkdown {
            documents.append(ContentFile(file: file, kind: kind, stamp: stamp, path: "Content/" + path))
        } else if Self.isBibliography(path, top: top) {
            // Read by papers' citations, not published: `references.*` and `.bib`/`.ris` beside the papers.
            bibliographyFiles.append(path)
        } else if isMarkdown {
            let known = ContentKind.allCases.map(\.folder).joined(separator: ", ")
            diagnostics.append(.error("Content/\(path)", "unknown content type: Markdown files belong in one of the folders \(known)"))
        } else {
            staticFiles.append(StaticFile(sourceFile: file, outputPath: path))
        }
    }
}
