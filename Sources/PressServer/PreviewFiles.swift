public import Foundation
import PressCore

/// Maps request paths to files of the output folder, as a static host would: percent-encoded
/// (Chinese) paths decoded, `dir/` served as `dir/index.html`, `dir` redirected to `dir/`,
/// the site's `404.html` for what does not exist, and nothing outside the output folder.
/// Pure logic with no HTTP types, so it is tested without a server.
public struct PreviewFiles: Sendable {
    public let root: URL
    /// The path every link of the site starts with (`/` or `/quality/`).
    public let basePath: String

    public init(root: URL, basePath: String = "/") {
        self.root = root.standardizedFileURL
        self.basePath = basePath.hasSuffix("/") ? basePath : basePath + "/"
    }

    public enum Resolution: Equatable, Sendable {
        /// Serve this file with this status (200, or 404 for the site's 404 page).
        case file(URL, status: Int, contentType: String)
        /// Send the browser to this path (a folder without its trailing slash, or the base path).
        case redirect(String)
        /// Nothing to serve, not even a 404 page.
        case notFound
        /// The path is malformed or climbs out of the output folder.
        case forbidden
    }

    public func resolve(_ rawPath: String) -> Resolution {
        let pathOnly = rawPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? rawPath
        guard let decoded = URLPath.decode(pathOnly), decoded.hasPrefix("/"), !decoded.contains("\0"), !decoded.contains("\\") else {
            return .forbidden
        }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." || $0 == "." }) { return .forbidden }
        if basePath != "/" && !decoded.hasPrefix(basePath) {
            if decoded == "/" || decoded + "/" == basePath { return .redirect(URLPath.encode(basePath)) }
            return notFound()
        }
        let relative = String(decoded.dropFirst(basePath.count))
        // Hidden files (the build cache, the output marker) are not part of the site.
        if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { return notFound() }
        var url = relative.isEmpty ? root : root.appendingPathComponent(relative)
        guard url.standardizedFileURL.path == root.path || url.standardizedFileURL.path.hasPrefix(root.path + "/") else {
            return .forbidden
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return notFound() }
        if isDirectory.boolValue {
            if !decoded.hasSuffix("/") { return .redirect(URLPath.encode(decoded + "/")) }
            url = url.appendingPathComponent("index.html")
            guard FileManager.default.fileExists(atPath: url.path) else { return notFound() }
        }
        // A symbolic link must not lead out of the output folder either.
        let real = url.resolvingSymlinksInPath().path
        let realRoot = root.resolvingSymlinksInPath().path
        guard real.hasPrefix(realRoot + "/") else { return .forbidden }
        return .file(url, status: 200, contentType: Self.contentType(of: url.lastPathComponent))
    }

    private func notFound() -> Resolution {
        let page = root.appendingPathComponent("404.html")
        guard FileManager.default.fileExists(atPath: page.path) else { return .notFound }
        return .file(page, status: 404, contentType: Self.contentType(of: "404.html"))
    }

    public static func contentType(of name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json; charset=utf-8"
        case "xml": return name == "atom.xml" ? "application/atom+xml; charset=utf-8" : "application/xml; charset=utf-8"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/x-icon"
        case "pdf": return "application/pdf"
        case "epub": return "application/epub+zip"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "mp4": return "video/mp4"
        case "mp3": return "audio/mpeg"
        case "zip": return "application/zip"
        default: return "application/octet-stream"
        }
    }

    /// The live-reload script, added to every HTML page the preview serves (never written to the output).
    public static let liveReloadScript = """
    <script data-qpress-live>
    (function () {
      "use strict";
      // The build this page was served from: a build the page's stream missed while it loaded still reloads it.
      var first = QPRESS_BUILD, overlay = null;
      function hide() { if (overlay) { overlay.remove(); overlay = null; } }
      function show(diagnostics) {
        hide();
        overlay = document.createElement("div");
        overlay.id = "qpress-error-overlay";
        overlay.setAttribute("role", "alertdialog");
        overlay.setAttribute("aria-labelledby", "qpress-error-title");
        overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;" +
          "font:15px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,'Noto Sans Mono CJK SC',monospace;padding:2rem";
        var title = document.createElement("h2");
        title.id = "qpress-error-title";
        title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font-size:1.2rem";
        title.textContent = "构建失败（" + diagnostics.length + " 个错误）";
        overlay.appendChild(title);
        var list = document.createElement("ul");
        list.style.cssText = "margin:0;padding:0;list-style:none";
        diagnostics.forEach(function (d) {
          var item = document.createElement("li");
          item.className = "qpress-error";
          item.style.cssText = "margin:0 0 .6rem;white-space:pre-wrap";
          var where = document.createElement("strong");
          where.textContent = d.file + (d.line ? ":" + d.line : "") + (d.column ? ":" + d.column : "");
          item.appendChild(where);
          item.appendChild(document.createTextNode(" " + d.message));
          list.appendChild(item);
        });
        overlay.appendChild(list);
        var note = document.createElement("p");
        note.style.cssText = "color:#bbb;margin-top:1.5rem";
        note.textContent = "页面显示的是上一次成功构建的结果。修正文件并保存后，页面会自动刷新。";
        overlay.appendChild(note);
        document.body.appendChild(overlay);
      }
      var source = new EventSource("/__qpress/events");
      source.addEventListener("hello", function (event) {
        var build = JSON.parse(event.data).build;
        if (first === null) first = build; else if (build !== first) window.location.reload();
      });
      source.addEventListener("reload", function () { window.location.reload(); });
      source.addEventListener("failed", function (event) { show(JSON.parse(event.data).diagnostics || []); });
    })();
    </script>

    """

    /// `html` with the live-reload script before `</body>` (or at the end). `build` is the number of the last
    /// build when the file was read; nil: the page takes the first number its stream announces.
    public static func injectingLiveReload(into html: Data, build: Int? = nil) -> Data {
        let script = Data(liveReloadScript.replacingOccurrences(of: "QPRESS_BUILD", with: build.map(String.init) ?? "null").utf8)
        let marker = Data("</body>".utf8)
        guard let range = html.range(of: marker, options: .backwards) else { return html + script }
        var result = html
        result.replaceSubrange(range.lowerBound..<range.lowerBound, with: script)
        return result
    }
}
