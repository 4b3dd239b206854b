import Foundation
import PressCore
import PressModel
import PressTestSupport
import Testing

/// Issue #21, "Hostile input": the parts that live in PressCore and PressModel.
@Suite struct HostileCoreTests {
    /// Case 2: a date part beyond `Int.max` was an arithmetic overflow (SIGILL).
    @Test func datePartsBeyondIntMaxAreRefused() {
        #expect(CalendarDate(iso: "9999999999999999999") == nil)
        #expect(CalendarDate(iso: "2020-01-9999999999999999999") == nil)
        #expect(CalendarDate(iso: "99999999999999999999-01-01") == nil)
        #expect(CalendarDate(iso: "2020-99999999999999999999-01") == nil)
        #expect(CalendarDate(iso: "2020-8-4")?.iso == "2020-08-04")
    }

    /// Case 6: 20,000 equal headings counted from 1 again for every repeat (quadratic).
    @Test(.timeLimit(.minutes(5))) func repeatedAnchorsTakeLinearTime() {
        var anchors = AnchorSet()
        var last = ""
        let elapsed = threadCPUTime {
            for _ in 0..<20_000 { last = anchors.unique("概述") }
        }
        #expect(last == "概述-19999")
        #expect(elapsed < .seconds(1))
        // A heading that is itself `x-1` still gets an anchor of its own.
        var mixed = AnchorSet()
        #expect(["x", "x-1", "x", "x"].map { mixed.unique($0) } == ["x", "x-1", "x-2", "x-3"])
    }

    /// Case 10: slugs hold letters and digits of any script, `-`, `_` and `.`, nothing else.
    @Test func slugsAreSafeInPathsIdsAndURLs() {
        for good in ["gear-30-years", "精益求精的轴承人", "v1.2_final", "café", "हिन्दी", "x"] {
            #expect(Slug.problem(with: good) == nil, "\(good)")
        }
        for bad in ["x\"><script>alert(1)<!--", "a b", "a/b", "a\\b", "..", ".hidden", "a..b", "a\nb", "a'b", "a#b", "a?b", "a%20b"] {
            #expect(Slug.problem(with: bad) != nil, "\(bad)")
        }
        #expect(Slug.problem(with: "x\"><script>") == "slug 'x\"><script>' contains the character '\"'; a slug may hold only letters, digits, '-', '_' and '.'")
    }

    /// Case 12 and the foundation issue §4: a slug longer than a file name may be is refused, and the
    /// message quotes at most 80 characters of it.
    @Test func overlongSlugsAreRefusedWithAShortMessage() throws {
        let problem = try #require(Slug.problem(with: String(repeating: "x", count: 256)))
        #expect(problem.hasPrefix("slug '\(String(repeating: "x", count: 80))…' (256 bytes) is 256 bytes long; a slug may have at most 240 bytes"))
        #expect(Slug.problem(with: String(repeating: "长", count: 80)) == nil) // 240 bytes
        #expect(Slug.problem(with: String(repeating: "长", count: 81)) != nil)
        let huge = try #require(Slug.problem(with: String(repeating: "x", count: 10_000_000)))
        #expect(huge.count < 300)
    }

    @Test func quotedValuesAreCutAndKeptOnOneLine() {
        #expect(Diagnostic.quote("abc") == "'abc'")
        #expect(Diagnostic.quote("a\nb\u{0}c") == "'a\\nb\\0c'")
        let long = Diagnostic.quote(String(repeating: "长", count: 1000))
        #expect(long == "'" + String(repeating: "长", count: 80) + "…' (3000 bytes)")
    }

    /// Case 13: a base URL with spaces ended up in every `href`.
    @Test func baseURLsAreValidated() {
        for good in ["/", "/docs/", "https://example.org/", "https://example.org/quality", "http://localhost:8000/", "https://例子.中国/%E8%B4%A8/"] {
            #expect(BaseURL.problem(good) == nil, "\(good)")
        }
        for bad in ["https://a b/c d/", "example.org", "ftp://example.org/", "https://", "https:///x", "/a\"b/", "/a<b>/", "https://x.org/?q=1", "//x.org/", "/a\tb"] {
            #expect(BaseURL.problem(bad) != nil, "\(bad)")
        }
        #expect(BaseURL.problem("https://a b/c d/") == "base URL 'https://a b/c d/' contains ' '; write spaces and other special characters percent-encoded (%20)")
    }
}
