import Foundation

/// How a target is published.
public enum DeployStrategy: String, Sendable, Hashable, CaseIterable {
    /// Upload into `releases/<id>/`, then switch the `current` symlink in one step (SSH servers, local folders).
    case releases
    /// Upload assets, then pages, then sitemap and feeds, delete last (object stores, WebDAV).
    case sync
}

/// Where a target lives, parsed from its `url`. Never holds a credential: those come from the environment.
public enum DeployLocation: Sendable, Hashable, CustomStringConvertible {
    /// `ssh://[user@]host[:port]/path`; a path starting `/~/` is relative to the user's home.
    case ssh(user: String?, host: String, port: Int?, path: String)
    /// `file:///absolute/path`
    case local(path: String)
    /// `s3://bucket/prefix`: any S3-compatible store, configured by `RCLONE_S3_*` variables.
    case s3(bucket: String, prefix: String)
    /// `webdav://host[:port]/path` (HTTP) or `webdavs://…` (HTTPS); `url` is the HTTP(S) URL.
    case webdav(url: String)
    /// `rclone://remote/path`: a remote configured by `RCLONE_CONFIG_<REMOTE>_*` variables.
    case rclone(remote: String, path: String)

    /// Parses a target URL, or says in one sentence what is wrong with it.
    public static func parse(_ text: String) -> Result<DeployLocation, DeployURLError> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(.init("'\(text)' is not a URL (e.g. ssh://deploy@www.example.org/var/www/site)"))
        }
        if components.password != nil {
            return .failure(.init("the URL holds a password: credentials never belong in site.yml, give them in the environment"))
        }
        if components.user != nil && scheme != "ssh" {
            return .failure(.init("a \(scheme):// URL takes no user name: give it in the environment"))
        }
        let host = components.host ?? ""
        switch scheme {
        case "ssh": return ssh(components, host: host)
        case "file": return local(components, host: host)
        case "s3":
            guard !host.isEmpty else { return .failure(.init("an s3:// URL needs a bucket: s3://bucket/prefix")) }
            return .success(.s3(bucket: host, prefix: trimSlashes(components.path)))
        case "webdav", "webdavs": return webdav(components, scheme: scheme, host: host, text: text)
        case "rclone":
            guard !host.isEmpty else { return .failure(.init("an rclone:// URL names a configured remote: rclone://remote/path")) }
            return .success(.rclone(remote: host, path: trimSlashes(components.path)))
        default:
            return .failure(.init("unknown scheme '\(scheme)://' (use ssh://, file://, s3://, webdav://, webdavs:// or rclone://)"))
        }
    }

    /// `ssh://[user@]host[:port]/path`, `/~/` meaning the home folder; never the root or the home itself.
    private static func ssh(_ components: URLComponents, host: String) -> Result<DeployLocation, DeployURLError> {
        guard !host.isEmpty else { return .failure(.init("an ssh:// URL needs a host: ssh://user@host/path")) }
        var folder = components.path
        if folder.hasPrefix("/~/") { folder = String(folder.dropFirst(3)) }
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        guard !folder.isEmpty, folder != "/", folder != "/~" else {
            return .failure(.init("an ssh:// URL needs a folder below the root, e.g. ssh://host/var/www/site"))
        }
        return .success(.ssh(user: components.user, host: host, port: components.port, path: folder))
    }

    /// `file:///absolute/path` below the root.
    private static func local(_ components: URLComponents, host: String) -> Result<DeployLocation, DeployURLError> {
        guard host.isEmpty || host == "localhost" else {
            return .failure(.init("a file:// URL names a local folder: file:///srv/www/site"))
        }
        var folder = components.path
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        guard folder.hasPrefix("/"), folder != "/" else {
            return .failure(.init("a file:// URL needs an absolute folder below the root: file:///srv/www/site"))
        }
        return .success(.local(path: folder))
    }

    /// `webdav://` and `webdavs://` as the HTTP(S) URL of the folder, ending in `/`.
    private static func webdav(_ components: URLComponents, scheme: String, host: String, text: String) -> Result<DeployLocation, DeployURLError> {
        guard !host.isEmpty else { return .failure(.init("a \(scheme):// URL needs a host")) }
        var http = URLComponents()
        http.scheme = scheme == "webdavs" ? "https" : "http"
        http.host = host
        http.port = components.port
        http.percentEncodedPath = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if !http.percentEncodedPath.hasSuffix("/") { http.percentEncodedPath += "/" }
        return .success(.webdav(url: http.string ?? text))
    }

    /// Strategies that can work here: an atomic switch needs a file system we can run commands on.
    public var defaultStrategy: DeployStrategy {
        switch self {
        case .ssh, .local: return .releases
        case .s3, .webdav, .rclone: return .sync
        }
    }

    public func supports(_ strategy: DeployStrategy) -> Bool {
        strategy == defaultStrategy
    }

    public var description: String {
        switch self {
        case .ssh(let user, let host, let port, let path):
            let who = user.map { "\($0)@" } ?? ""
            let portText = port.map { ":\($0)" } ?? ""
            return "ssh://\(who)\(host)\(portText)\(path.hasPrefix("/") ? path : "/~/" + path)"
        case .local(let path): return "file://\(path)"
        case .s3(let bucket, let prefix): return "s3://\(bucket)/\(prefix)"
        case .webdav(let url): return url.hasPrefix("https:") ? "webdavs" + url.dropFirst(5) : "webdav" + url.dropFirst(4)
        case .rclone(let remote, let path): return "rclone://\(remote)/\(path)"
        }
    }

    private static func trimSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.hasPrefix("/") { text.removeFirst() }
        while text.hasSuffix("/") { text.removeLast() }
        return String(text)
    }
}

public struct DeployURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `Cache-Control` values set on upload where the backend supports it (`sync` targets).
public struct CacheControlConfig: Sendable, Hashable {
    /// HTML pages, sitemap, feeds, robots.txt: short, so a deploy shows quickly.
    public var html: String
    /// Assets whose name carries a content hash (`site.3f2a9c1e.css`): cached for a year.
    public var fingerprinted: String
    /// Every other file (images, CSS and scripts without a hash in their name).
    public var assets: String

    public init(html: String = "public, max-age=300",
                fingerprinted: String = "public, max-age=31536000, immutable",
                assets: String = "public, max-age=3600") {
        self.html = html
        self.fingerprinted = fingerprinted
        self.assets = assets
    }
}

/// One entry of `deploy: targets:` in `site.yml`.
public struct DeployTarget: Sendable, Hashable {
    public var name: String
    /// As written in `site.yml`.
    public var url: String
    public var location: DeployLocation
    public var strategy: DeployStrategy
    /// Releases kept for rollback (`releases` strategy), the live one included.
    public var keep: Int
    public var cacheControl: CacheControlConfig
    /// Minutes after which an unfinished release (`releases`) or a lock object (`sync`) is taken to be
    /// left by a deploy that died: younger ones may belong to a deploy still under way.
    public var staleAfter: Int

    public init(name: String, url: String, location: DeployLocation, strategy: DeployStrategy? = nil,
                keep: Int = 5, cacheControl: CacheControlConfig = CacheControlConfig(), staleAfter: Int = 60) {
        self.name = name
        self.url = url
        self.location = location
        self.strategy = strategy ?? location.defaultStrategy
        self.keep = keep
        self.cacheControl = cacheControl
        self.staleAfter = staleAfter
    }

    /// A target from a URL alone (tests, one-off deploys).
    public init(name: String, url: String, strategy: DeployStrategy? = nil, keep: Int = 5, staleAfter: Int = 60) throws(DeployURLError) {
        let location = try DeployLocation.parse(url).get()
        self.init(name: name, url: url, location: location, strategy: strategy, keep: keep, staleAfter: staleAfter)
    }
}
