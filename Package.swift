// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "QualityPress",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "qpress", targets: ["qpress"]),
        // For the fuzz targets in Fuzz/ (`make fuzz`), built with libFuzzer in their own folder.
        .library(name: "PressFuzzing", targets: ["PressCore", "PressModel", "PressMarkdown", "PressLoader", "PressTemplates", "PressSearch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // Already resolved through AsyncHTTPClient; its `Crypto` product hashes the deploy manifest (SHA-256).
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0" ..< "5.0.0"),
        // Already resolved through AsyncHTTPClient; the link checker names its HTTP types (NIOCore, NIOHTTP1).
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
    ],
    targets: [
        // System libraries
        .systemLibrary(
            name: "CCmarkGFM",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(name: "CGumbo", providers: [.apt(["libgumbo-dev"])]),
        // libvips' headers; the library itself is opened by CVips on the first image (only glib and gobject are linked).
        .systemLibrary(name: "CVipsSystem", pkgConfig: "gobject-2.0", providers: [.apt(["libvips-dev"])]),
        // libvips' variadic API behind plain C functions Swift can call.
        .target(name: "CVips", dependencies: ["CVipsSystem"]),

        // Pipeline, in order: core → model → markdown → (deploy) → loader → templates → references → citations →
        // images → search → incremental → site, links, anthology → build → server → scaffold → commands → qpress.
        // Each target declares exactly the modules it imports (Tests/check_package_imports.py).
        .target(name: "PressCore"),
        .target(name: "PressModel", dependencies: ["PressCore"]),
        // Takes the place of libcmark-gfm's special-character function, so documents parse in parallel.
        .target(name: "CCmarkSpecials",
                linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=cmark_manage_extensions_special_characters"])]),
        .target(name: "PressMarkdown", dependencies: ["CCmarkGFM", "CCmarkSpecials", "PressCore"]),
        // Reads site.yml's deploy targets with PressDeploy's types (URL rules), so a build reports them at their line.
        .target(name: "PressLoader", dependencies: ["PressCore", "PressModel", "PressMarkdown", "PressDeploy", "Yams"]),
        .target(name: "PressTemplates", dependencies: ["PressCore", "PressModel", "Yams", .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "PressSite", dependencies: ["PressCore", "PressModel", "PressMarkdown", "PressTemplates", "PressImages", "PressCitations", "PressIncremental"]),
        // Citations in papers: their bibliography files read once, `[@key]` rendered, the 参考文献 list appended.
        .target(name: "PressCitations", dependencies: ["PressCore", "PressModel", "PressMarkdown", "PressReferences"]),
        // Incremental reuse: the build cache's format (by field name), what changed, reuse of unchanged output, the search store hand-off.
        .target(name: "PressIncremental", dependencies: ["PressCore", "PressModel", "PressLoader", "PressSearch"]),
        .target(name: "PressBuild", dependencies: ["PressCore", "PressModel", "PressTemplates", "PressLoader", "PressSite", "PressLinks", "PressAnthology", "PressSearch", "PressImages", "PressIncremental"]),
        // Link checking knows HTML and URLs, not stories or papers.
        .target(name: "PressLinks", dependencies: [
            "CGumbo", "PressCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The print step is a Python resource (Resources/print.py), tested on its own by Tests/print.
        .target(name: "PressAnthology", dependencies: ["PressCore", "PressModel", "PressMarkdown", "PressTemplates", "PressCitations", "PressImages", "ZIPFoundation"],
                resources: [.copy("Resources/print.py")]),
        // Images: web variants (libvips); knows pixels and paths, not stories or papers.
        .target(name: "PressImages", dependencies: ["CVips", "PressCore"]),
        // Search index: tokens, postings, shards; knows text, not stories or papers.
        .target(name: "PressSearch", dependencies: ["PressCore"]),
        // Preview server: serve, watch, rebuild, live reload.
        .target(name: "PressServer", dependencies: [
            "PressAnthology", "PressBuild", "PressCore", "PressLoader", "PressModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Bibliographies (CSL-JSON, BibTeX, RIS) and GB/T 7714-2015 formatting; knows entries, not pages.
        .target(name: "PressReferences", dependencies: ["PressCore"]),
        // `qpress new` and `qpress init`.
        .target(name: "PressScaffold", dependencies: ["PressCore"]),
        // Publishing knows URLs, hashes and tools (rsync, ssh, rclone), not stories or papers.
        .target(name: "PressDeploy", dependencies: ["PressCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "PressCommands", dependencies: [
            "PressBuild", "PressCore", "PressLinks", "PressLoader", "PressServer", "PressScaffold", "PressDeploy", "PressReferences",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Starts qpress again with huge pages for malloc, before the Swift runtime does (qp_huge_pages.c).
        .target(name: "CHugePages"),
        .executableTarget(name: "qpress", dependencies: ["CHugePages", "PressCommands"]),

        .target(name: "PressTestSupport", path: "Tests/PressTestSupport", exclude: ["make_image.py", "make_sample_photos.py"]),
        .testTarget(name: "PressCoreTests", dependencies: ["PressCore", "PressModel", "PressTestSupport"]),
        .testTarget(name: "PressMarkdownTests", dependencies: ["PressCore", "PressMarkdown", "PressTestSupport"]),
        .testTarget(name: "PressLoaderTests", dependencies: ["PressCore", "PressModel", "PressLoader", "PressDeploy", "PressTestSupport"]),
        .testTarget(name: "PressTemplatesTests", dependencies: ["PressCore", "PressTemplates", "PressTestSupport", .product(name: "Mustache", package: "swift-mustache")]),
        .testTarget(name: "PressLinksTests", dependencies: ["PressCore", "PressLinks", "PressTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PressBuildTests", dependencies: ["PressBuild", "PressCore", "PressLoader", "PressImages", "PressScaffold", "PressSearch", "PressTestSupport"]),
        .testTarget(name: "PressSearchTests", dependencies: ["PressCore", "PressSearch", "PressTestSupport"]),
        .testTarget(name: "PressIncrementalTests", dependencies: ["PressIncremental", "PressLoader", "PressModel", "PressCore", "PressTestSupport"]),
        .testTarget(name: "PressImagesTests", dependencies: ["PressImages", "PressTestSupport"]),
        .testTarget(name: "PressServerTests", dependencies: [
            "PressServer", "PressBuild", "PressTestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "PressDeployTests", dependencies: ["PressDeploy", "PressCore", "PressLinks", "PressTestSupport"]),
        .testTarget(name: "PressReferencesTests", dependencies: ["PressCore", "PressReferences", "PressCommands"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PressAnthologyTests", dependencies: ["PressAnthology", "PressBuild", "PressImages", "PressCitations", "PressMarkdown", "PressCore", "PressModel", "PressLoader", "PressTemplates", "PressTestSupport"]),
    ]
)

// Imports are internal unless marked `public import`, so a dependency's types reach a module's public API
// only where a file says so (Hummingbird stays inside PressServer).
for target in package.targets where target.type != .system && !["CVips", "CCmarkSpecials", "CHugePages"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("InternalImportsByDefault")]
}
