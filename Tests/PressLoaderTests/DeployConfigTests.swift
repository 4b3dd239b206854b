import Foundation
import PressCore
import PressDeploy
import PressModel
import PressTestSupport
import Testing
@testable import PressLoader

@Suite struct DeployConfigTests {
    /// The deploy targets (PressDeploy's type, read by the loader) and the problems of a site.yml.
    func config(_ yaml: String) throws -> (SiteTargets?, [String]) {
        let site = try TemporarySite(["Content/site.yml": yaml])
        defer { site.remove() }
        let loader = ContentLoader(siteRoot: site.root)
        let (config, targets, problems) = loader.loadDeployTargets()
        // A build reads the same file and reports the same problems.
        #expect(loader.loadConfig().1.map(\.description) == problems.map(\.description))
        return (config.map { _ in SiteTargets(deploy: targets) }, problems.map(\.description))
    }

    struct SiteTargets {
        var deploy: [DeployTarget]
    }

    @Test func readsTargetsWithDefaults() throws {
        let (config, problems) = try config("""
        title: 协会
        deploy:
          targets:
            - name: production
              url: "ssh://deploy@www.example.org/var/www/quality"
              strategy: releases
              keep: 3
              stale_after: 15
            - name: oss
              url: s3://quality-site/www
              cache_control:
                html: "no-cache"
        """)
        #expect(problems == [])
        let targets = try #require(config?.deploy)
        #expect(targets.map(\.name) == ["production", "oss"])
        #expect(targets[0].location == .ssh(user: "deploy", host: "www.example.org", port: nil, path: "/var/www/quality"))
        #expect(targets[0].strategy == .releases && targets[0].keep == 3 && targets[0].staleAfter == 15)
        #expect(targets[1].strategy == .sync && targets[1].keep == 5 && targets[1].staleAfter == 60)
        #expect(targets[1].cacheControl.html == "no-cache")
        #expect(targets[1].cacheControl.fingerprinted == CacheControlConfig().fingerprinted)
    }

    @Test func reportsEveryProblemAtItsLine() throws {
        let (config, problems) = try config("""
        title: 协会
        deploy:
          targets:
            - name: a
              url: "ssh://deploy:hunter2@host/var/www"
            - name: b
              url: s3://bucket/site
              strategy: releases
              keep: 0
            - url: file:///srv/www
              stratgy: sync
            - name: b
              url: file:///srv/other
              cache_control: { html: "no-cache", images: "x" }
        """)
        #expect(config?.deploy.map(\.name) == ["b", "b"])
        #expect(problems == [
            "Content/site.yml:5: error: field 'url': the URL holds a password: credentials never belong in site.yml, give them in the environment",
            "Content/site.yml:8: error: strategy 'releases' needs an ssh:// or file:// target, where a symlink can be switched in one step",
            "Content/site.yml:9: error: field 'keep' must be a whole number between 1 and 100",
            "Content/site.yml:10: error: missing required field 'name'",
            "Content/site.yml:11: error: unknown field 'stratgy'; did you mean 'strategy'? (known fields: cache_control, keep, name, stale_after, strategy, url)",
            "Content/site.yml:12: error: two deploy targets are named 'b'",
            "Content/site.yml:14: error: unknown field 'images' (known fields: assets, fingerprinted, html)",
        ])
    }

    @Test func noDeploySectionMeansNoTargets() throws {
        let (config, problems) = try config("title: 协会\n")
        #expect(problems == [])
        #expect(config?.deploy == [])
    }
}
