public import Foundation

/// Builds happen in a hidden sibling of the output folder and are swapped in only when
/// they succeed, so a failed build leaves the previous output untouched.
/// The output folder is replaced only when it is empty or was written by us (it holds
/// `markerName`), so a mistyped `--output ~` can never delete someone's files.
public struct StagingDirectory: Sendable {
    public static let markerName = ".qpress-output"

    public let output: URL
    public let staging: URL

    public enum Problem: Error, Sendable, CustomStringConvertible {
        case outputNotOurs(String)
        case outputContainsSource(String)
        case io(String)

        public var description: String {
            switch self {
            case .outputNotOurs(let path):
                return "output folder '\(path)' exists, is not empty and was not written by qpress; refusing to replace it (remove it or choose another --output)"
            case .outputContainsSource(let path):
                return "output folder '\(path)' would contain the source folder; choose another --output"
            case .io(let message):
                return message
            }
        }
    }

    /// Creates an empty staging folder next to `output`.
    public init(output: URL, protecting source: URL) throws(Problem) {
        let output = output.standardizedFileURL
        let sourcePath = source.standardizedFileURL.path
        if sourcePath == output.path || sourcePath.hasPrefix(output.path + "/") {
            throw .outputContainsSource(output.path)
        }
        try Self.checkReplaceable(output)
        let parent = output.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).staging-\(ProcessInfo.processInfo.processIdentifier)")
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            if fileManager.fileExists(atPath: staging.path) { try fileManager.removeItem(at: staging) }
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            try Data().write(to: staging.appendingPathComponent(Self.markerName))
        } catch {
            throw .io("cannot create staging folder '\(staging.path)': \(error.localizedDescription)")
        }
        self.output = output
        self.staging = staging
    }

    public static func checkReplaceable(_ output: URL) throws(Problem) {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw .outputNotOurs(output.path) }
        let entries = (try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []
        if !entries.isEmpty && !entries.contains(markerName) { throw .outputNotOurs(output.path) }
    }

    /// Replaces the output folder with the staging folder.
    public func commit() async throws(Problem) {
        let fileManager = FileManager.default
        let retired = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            if fileManager.fileExists(atPath: output.path) {
                try Self.checkReplaceable(output)
                if fileManager.fileExists(atPath: retired.path) { try fileManager.removeItem(at: retired) }
                try fileManager.moveItem(at: output, to: retired)
                try fileManager.moveItem(at: staging, to: output)
                if await !DirectoryRemoval.remove(retired.path) { try fileManager.removeItem(at: retired) }
            } else {
                try fileManager.moveItem(at: staging, to: output)
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw .io("cannot move the new build into '\(output.path)': \(error.localizedDescription)")
        }
    }

    /// Throws the staging folder away; the output folder is left as it was.
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
    }
}
