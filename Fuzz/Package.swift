// swift-tools-version:6.0
// Coverage-guided fuzz targets (libFuzzer), built only by `make fuzz`, never by `swift build` at the root:
//   swift build --package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld
// Each target's entry point (`<Target>_main`, as SwiftPM links executables) runs libFuzzer's driver.
import PackageDescription

let targets = ["FrontMatter", "SiteConfig", "Manifest", "Markdown", "Theme", "Tokenizer"]

let package = Package(
    name: "QualityPressFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "QualityPress", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", .product(name: "PressFuzzing", package: "QualityPress")]),
    ] + targets.map { name in
        .executableTarget(name: "Fuzz\(name)", dependencies: ["FuzzSupport", .product(name: "PressFuzzing", package: "QualityPress")])
    }
)
