public import Foundation

/// The site's web variants as a book's screen editions take them: the EPUB's and the web edition's copy of
/// an image is the site's largest fallback (JPEG or PNG, at most 1600 px), the same bytes `BookImageProcessor.epub`
/// would make, so a build that publishes both encodes it once. Waits until the site's images are made.
public struct SiteVariants: Sendable {
    /// The source's output path (`assets/images/factory.jpg`) → its largest fallback and that file's bytes;
    /// nil when the site has no such image or its file cannot be read.
    public let largestFallback: @Sendable (_ sourcePath: String) async -> (variant: ImageVariant, data: Data)?

    public init(largestFallback: @escaping @Sendable (String) async -> (variant: ImageVariant, data: Data)?) {
        self.largestFallback = largestFallback
    }

    /// The variants of `images` (awaited once), read from the first of `folders` that holds the file:
    /// the staging folder, then the previous output, where a variant reused in place stays.
    public static func reading(_ images: @escaping @Sendable () async -> [String: WebImage], from folders: [URL]) -> SiteVariants {
        SiteVariants { sourcePath in
            guard let largest = await images()[sourcePath]?.fallbacks.last, largest.format != .svg else { return nil }
            for folder in folders {
                if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(largest.path).path) { return (largest, data) }
            }
            return nil
        }
    }
}
