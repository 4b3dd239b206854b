import PressCore
import PressDeploy
import PressModel

/// `deploy:` in `site.yml`:
///
/// ```yaml
/// deploy:
///   targets:
///     - name: production
///       url: "ssh://deploy@www.example.org/var/www/quality"
///       strategy: releases
///       keep: 5
///       stale_after: 60        # minutes: older unfinished releases and sync locks were left by a deploy that died
///       cache_control: { html: "public, max-age=300" }
/// ```
///
/// Every problem is reported at its line; unknown fields are errors, like everywhere in `site.yml`.
enum DeployConfigReader {
    static func read(_ fields: inout YAMLFields) -> [DeployTarget] {
        fields.nested("deploy") { deploy -> [DeployTarget]? in
            var names: Set<String> = []
            return deploy.records("targets", required: true) { target in readTarget(&target, names: &names) }
        } ?? []
    }

    private static func readTarget(_ fields: inout YAMLFields, names: inout Set<String>) -> DeployTarget? {
        let name = fields.string("name", required: true)
        if let name, !names.insert(name).inserted {
            fields.report(field: "name", "two deploy targets are named \(Diagnostic.quote(name))")
        }
        let url = fields.string("url", required: true)
        var location: DeployLocation?
        if let url {
            switch DeployLocation.parse(url) {
            case .success(let parsed): location = parsed
            case .failure(let problem): fields.report(field: "url", "field 'url': \(problem)")
            }
        }
        var strategy: DeployStrategy?
        if let text = fields.string("strategy") {
            if let parsed = DeployStrategy(rawValue: text) {
                strategy = parsed
                if let location, !location.supports(parsed) {
                    let reason = parsed == .releases
                        ? "needs an ssh:// or file:// target, where a symlink can be switched in one step"
                        : "is for object stores and WebDAV; ssh:// and file:// targets use 'releases'"
                    fields.report(field: "strategy", "strategy \(Diagnostic.quote(text)) \(reason)")
                    strategy = nil
                }
            } else {
                fields.report(field: "strategy", "field 'strategy' must be 'releases' or 'sync', not \(Diagnostic.quote(text))")
            }
        }
        let keep = fields.int("keep", default: 5, range: 1...100) ?? 5
        let staleAfter = fields.int("stale_after", default: 60, range: 0...100_000) ?? 60
        let cacheControl = fields.nested("cache_control") { cache in
            let defaults = CacheControlConfig()
            return CacheControlConfig(html: cache.string("html") ?? defaults.html,
                                      fingerprinted: cache.string("fingerprinted") ?? defaults.fingerprinted,
                                      assets: cache.string("assets") ?? defaults.assets)
        } ?? CacheControlConfig()
        guard let name, let url, let location else { return nil }
        return DeployTarget(name: name, url: url, location: location, strategy: strategy, keep: keep, cacheControl: cacheControl,
                            staleAfter: staleAfter)
    }
}
