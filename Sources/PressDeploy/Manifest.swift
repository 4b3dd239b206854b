import Foundation

/// Every published file with its size and content hash. The manifest of the last deploy is kept on
/// the target; comparing it with the output's decides what is sent.
///
/// The hash is FNV-1a 64 over the file's bytes (the function PressCore's `Fingerprint` uses for the
/// build cache), kept together with the size. It only answers "did this file change since the last
/// deploy of the same site", never a security question: an accidental collision needs two versions of
/// one path with the same size and the same 64-bit hash. SHA-256 would need swift-crypto (Foundation
/// has none on Linux) or a `sha256sum` process per batch of files; FNV needs neither and hashes a
/// site's few megabytes in well under a second.
public struct Manifest: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var size: Int64
        public var hash: String

        public init(size: Int64, hash: String) {
            self.size = size
            self.hash = hash
        }
    }

    /// The name of the manifest at the root of a `sync` target.
    public static let fileName = ".qpress-manifest.json"
    public static let algorithm = "fnv1a64"

    public var format = 1
    public var algorithm = Manifest.algorithm
    /// The release this manifest describes (`releases` targets).
    public var release: String?
    /// Path below the output folder (`stories/一颗齿轮/index.html`) → entry.
    public var files: [String: Entry]

    public init(files: [String: Entry], release: String? = nil) {
        self.files = files
        self.release = release
    }

    public var totalBytes: Int64 { files.values.reduce(0) { $0 + $1.size } }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Nil for anything that is not a manifest we wrote (or was written with another hash).
    public static func decode(_ data: Data) -> Manifest? {
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data),
              manifest.format == 1, manifest.algorithm == algorithm else { return nil }
        return manifest
    }

    /// Files and folders whose name starts with a dot are never published: qpress keeps its link
    /// output marker (`.qpress-output`), build cache (`.qpress-cache`) and search records there. `.well-known/` is
    /// the exception, as the web needs it.
    public static func isPublished(_ relativePath: String) -> Bool {
        !relativePath.split(separator: "/").contains { $0.hasPrefix(".") && $0 != ".well-known" }
    }

    /// Scans a built site: every regular file that is published, hashed in parallel.
    public static func scan(_ folder: URL) async throws(DeployError) -> Manifest {
        let root = folder.standardizedFileURL
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey]
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            throw DeployError("cannot read the output folder '\(root.path)'")
        }
        var paths: [String] = []
        for case let url as URL in enumerator {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            let relative = String(path.dropFirst(prefix.count))
            let values = try? url.resourceValues(forKeys: Set(keys))
            if values?.isDirectory == true {
                if !isPublished(relative) { enumerator.skipDescendants() }
                continue
            }
            if values?.isRegularFile == true && isPublished(relative) { paths.append(relative) }
        }
        paths.sort()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let hashed = await withTaskGroup(of: [(String, Entry?)].self) { group in
            for worker in 0..<workers {
                let share = stride(from: worker, to: paths.count, by: workers).map { paths[$0] }
                group.addTask {
                    share.map { path in (path, hashFile(root.appendingPathComponent(path))) }
                }
            }
            var all: [(String, Entry?)] = []
            for await part in group { all += part }
            return all
        }
        var files: [String: Entry] = [:]
        for (path, entry) in hashed {
            guard let entry else { throw DeployError("cannot read '\(path)' in the output folder") }
            files[path] = entry
        }
        return Manifest(files: files)
    }

    static func hashFile(_ url: URL) -> Entry? {
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { return nil }
        return Entry(size: Int64(data.count), hash: hex(fnv1a(data)))
    }

    static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            let count = bytes.count
            while index < count {
                hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3
                index += 1
            }
        }
        return hash
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
