import PressCore

/// How images are made for the web. Part of every variant's name, so a change of settings makes new files.
public struct WebImageSettings: Sendable, Hashable {
    /// Widths of the variants; an image narrower than one gets no variant of that width (never upscaled).
    public var widths: [Int] = [480, 960, 1600]
    public var webpQuality = 80
    public var jpegQuality = 82
    /// Images with more pixels than this are refused before decoding (decompression bombs).
    public var pixelLimit = 100_000_000

    public init() {}

    /// Mixed into every variant's content hash. `web3`: WebP at effort 2, baseline JPEG, PNG at zlib level 6,
    /// sources without a profile resampled in sRGB (the bytes changed, so the names do too).
    var fingerprintText: String { "web3|\(widths)|\(webpQuality)|\(jpegQuality)" }
}
