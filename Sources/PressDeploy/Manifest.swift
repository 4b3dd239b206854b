import Crypto
public import Foundation
import PressCore

/// Every published file with its size and content hash. The manifest of the last deploy is kept on
/// the target; comparing it with the output's decides what is sent.
///
/// The hash is SHA-256 over the file's bytes (swift-crypto), kept together with the size: the manifest
/// leaves the machine and is served beside the site, so its hash is one nobody can make collide on
/// purpose, unlike the build's `Fingerprint`. Manifests of older deploys (format 1, FNV-1a 64) are still
/// read, so their names decide deletions as before; their hashes equal no SHA-256, so the first deploy
/// after the change sends every file once and writes a SHA-256 manifest.
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
    public static let algorithm = "sha256"
    /// The hash of format 1 manifests, written before SHA-256: read, never written.
    public static let legacyAlgorithm = "fnv1a64"

    public var format = 2
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
        try? read(data).get()
    }

    /// A manifest read back from a target, or why it cannot be trusted. Its names decide what a deploy
    /// deletes, so each one must be a name a deploy could have published.
    public static func read(_ data: Data) -> Result<Manifest, ManifestProblem> {
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            return .failure(ManifestProblem("it is not a manifest written by qpress (it does not parse)"))
        }
        let digits: Int
        switch (manifest.format, manifest.algorithm) {
        case (2, algorithm): digits = 64
        case (1, legacyAlgorithm): digits = 16
        default:
            return .failure(ManifestProblem("it has format \(manifest.format) and hash '\(manifest.algorithm)', "
                + "not format 2 and '\(algorithm)' (or format 1 and '\(legacyAlgorithm)')"))
        }
        for (path, entry) in manifest.files.sorted(by: { $0.key < $1.key }) {
            if let problem = problem(with: path) {
                return .failure(ManifestProblem("it names '\(escaped(path))', which no deploy publishes: \(problem)"))
            }
            guard entry.size >= 0, entry.hash.utf8.count == digits, entry.hash.allSatisfy(\.isHexDigit) else {
                return .failure(ManifestProblem("its entry for '\(escaped(path))' has no valid size and hash"))
            }
        }
        return .success(manifest)
    }

    /// Why `path` cannot be the name of a published file (a relative path inside the target, no `.` or
    /// `..`, no control character, no dotfile), or nil when it can.
    public static func problem(with path: String) -> String? {
        if path.isEmpty { return "the name is empty" }
        if path.unicodeScalars.contains(where: isControl) { return "it holds a control character" }
        if path.hasPrefix("/") { return "it is an absolute path" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) { return "it has an empty, '.' or '..' part" }
        if !isPublished(path) { return "it starts with a dot, and dotfiles are never published" }
        return nil
    }

    /// C0 and C1 controls, DEL included: a newline would split the lists handed to rclone.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// A name as it can be printed on one line: control characters as `\n`, `\t`, `\u{1B}`.
    public static func escaped(_ path: String) -> String {
        var text = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where isControl(scalar): text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
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
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey, .isSymbolicLinkKey]
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
            guard isPublished(relative) else { continue }
            try refuseUnpublishable(relative, isLink: values?.isSymbolicLink == true, root: root)
            if values?.isRegularFile == true { paths.append(relative) }
        }
        paths.sort()
        let hashed = await ParallelSlices.flatMap(paths, sliceSize: ParallelSlices.size(for: paths.count, slicesPerCore: 4, minimum: 16)) { path in
            (path, hashFile(root.appendingPathComponent(path)))
        }
        var files: [String: Entry] = [:]
        for (path, entry) in hashed {
            guard let entry else { throw DeployError("cannot read '\(path)' in the output folder") }
            files[path] = entry
        }
        return Manifest(files: files)
    }

    /// A symbolic link would publish whatever it points at (or nothing, silently); a control character
    /// in a name would split the file lists handed to rclone. Both stop the deploy, naming the file.
    static func refuseUnpublishable(_ relative: String, isLink: Bool, root: URL) throws(DeployError) {
        if isLink {
            let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent(relative).path)) ?? "?"
            throw DeployError("the output folder holds a symbolic link, '\(escaped(relative))' → '\(escaped(destination))': "
                + "qpress deploy publishes regular files only; replace the link with the file or folder it points at")
        }
        if relative.unicodeScalars.contains(where: isControl) {
            throw DeployError("the output folder holds a file whose name has a control character, '\(escaped(relative))': "
                + "such a name cannot be published safely; rename its source file")
        }
    }

    static func hashFile(_ url: URL) -> Entry? {
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { return nil }
        return Entry(size: Int64(data.count), hash: sha256(data))
    }

    /// 64 lowercase hex digits.
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}

/// Why a manifest read from a target cannot be trusted.
public struct ManifestProblem: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
