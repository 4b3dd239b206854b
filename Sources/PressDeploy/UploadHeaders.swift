import Foundation
import PressCore

/// `Content-Type` and `Cache-Control` for a file uploaded to an object store.
public struct UploadHeaders: Sendable, Hashable {
    /// Nil: the backend guesses from the file name.
    public var contentType: String?
    public var cacheControl: String

    public init(contentType: String?, cacheControl: String) {
        self.contentType = contentType
        self.cacheControl = cacheControl
    }

    public static func of(_ path: String, cacheControl: CacheControlConfig) -> UploadHeaders {
        let name = (path as NSString).lastPathComponent.lowercased()
        let ext = (name as NSString).pathExtension
        let type: String?
        if name == "atom.xml" {
            type = "application/atom+xml; charset=utf-8"
        } else {
            type = contentTypes[ext]
        }
        let cache: String
        switch FileRole.of(path) {
        case .page, .index: cache = cacheControl.html
        case .asset: cache = isFingerprinted(name) ? cacheControl.fingerprinted : cacheControl.assets
        }
        return UploadHeaders(contentType: type, cacheControl: cache)
    }

    /// `site.3f2a9c1e.css`, `app-3f2a9c1e5b.js`: a name carrying at least 8 hex digits of a content hash.
    public static func isFingerprinted(_ name: String) -> Bool {
        let stem = (name as NSString).deletingPathExtension
        guard let separator = stem.lastIndex(where: { $0 == "." || $0 == "-" }) else { return false }
        let tail = stem[stem.index(after: separator)...]
        return tail.count >= 8 && tail.allSatisfy(\.isHexDigit) && tail.contains(where: \.isNumber)
    }

    /// UTF-8 is stated for every text type, so Chinese pages never depend on a browser's guess.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "xml": "application/xml; charset=utf-8", "json": "application/json; charset=utf-8",
        "txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif", "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon",
        "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf", "otf": "font/otf",
        "pdf": "application/pdf", "epub": "application/epub+zip", "zip": "application/zip",
        "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg",
    ]
}
