public import Foundation
public import PressCore

/// Every file of a qpress output folder, kept in the folder as `.qpress-files`: an incremental
/// build compares it with what it makes to know which files to remove, without walking the folder.
public enum OutputManifest {
    public static let fileName = ".qpress-files"

    /// The files listed by the previous build, nil when there is no readable list or it names a
    /// path that is not plainly inside the folder (an incremental build then swaps the whole folder).
    public static func read(from output: URL) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: output.appendingPathComponent(fileName).path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix(header) else { return nil }
        let files = CompactRecord.lines(text).dropFirst().map(CompactRecord.text)
        guard files.allSatisfy(isInside) else { return nil }
        return Set(files)
    }

    /// A relative path without empty, `.` or `..` parts.
    static func isInside(_ path: String) -> Bool {
        // On bytes: splitting each of 10,000 paths into substrings was a twentieth of an incremental build.
        var part = 0, dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if part == 0 || part == dots && dots <= 2 { return false }
                part = 0
                dots = 0
            } else {
                part += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return !(part == 0 || part == dots && dots <= 2)
    }

    /// One path per line, escaped as in the build cache, sorted so that equal outputs have equal lists.
    public static func encoded(_ files: Set<String>) -> String {
        var text = header
        for file in files.sorted() where file != fileName { text += CompactRecord.text(file) + "\n" }
        return text
    }

    private static let header = "qpress-files\t1\n"

    /// The regular files below `folder` (hidden ones too), relative to it; symbolic links are not followed.
    /// The first two levels are listed here, the folders below them walked on all cores: a site of
    /// 10,000 pages has a folder per page under `stories/`.
    public static func files(below folder: String, tasks: Int = ProcessInfo.processInfo.activeProcessorCount) async -> [String] {
        var files: [String] = [], folders: [String] = []
        for top in DirectoryRemoval.entries(of: folder) {
            guard top.isDirectory else {
                files.append(top.name)
                continue
            }
            for child in DirectoryRemoval.entries(of: folder + "/" + top.name) {
                if child.isDirectory { folders.append(top.name + "/" + child.name) } else { files.append(top.name + "/" + child.name) }
            }
        }
        let tasks = max(1, tasks), pending = folders
        return await withTaskGroup(of: [String].self) { group in
            for part in 0..<tasks {
                group.addTask { pending.indices.filter { $0 % tasks == part }.flatMap { walk(folder, from: pending[$0]) } }
            }
            return await group.reduce(into: files) { $0 += $1 }
        }
    }

    private static func walk(_ root: String, from start: String) -> [String] {
        var files: [String] = []
        var pending = [start]
        while let relative = pending.popLast() {
            for entry in DirectoryRemoval.entries(of: root + "/" + relative) {
                let child = relative + "/" + entry.name
                if entry.isDirectory { pending.append(child) } else { files.append(child) }
            }
        }
        return files
    }
}

/// The commit of an incremental build that changed a few files of a large site. Instead of
/// hard-linking every unchanged file into a fresh folder and deleting the old one (half a second
/// for 10,000 pages), the new and changed files are moved into the output folder and the files the
/// build no longer makes are removed. A journal file marks the output folder while this happens:
/// if the build is killed in between, the next build finds it and rebuilds the folder in full.
public struct OutputPatch: Sendable {
    public static let journalName = ".qpress-commit"

    /// Files written by this build into the staging folder, relative to it.
    public var written: [String]
    /// Files of the previous output that this build no longer makes.
    public var removed: [String]
    /// Whether the new output's files differ from the previous list: found while `removed` is, not by making
    /// the new list and comparing 10,000 paths again.
    public let changesList: Bool
    private let kept: [String]
    private let madeHere: [String]

    /// Every file of the new output: the written and the kept. Made when asked: an edit keeps the previous list.
    public var files: Set<String> { Set(madeHere).union(kept) }

    /// `kept` are the previous output's files the build reused in place; `previous` lists them all.
    public init(staging: URL, kept: some Sequence<String>, previous: Set<String>) async {
        written = await OutputManifest.files(below: staging.path)
        madeHere = written
        self.kept = Array(kept)
        // What is left of the previous list once every kept and written file is taken out is gone. Taking
        // them out of a copy hashes each path once; making the new list and subtracting the previous one
        // from it hashed 10,000 paths three times, most of an edit's commit.
        var gone = previous
        var adds = false
        for file in self.kept where gone.remove(file) == nil && !previous.contains(file) { adds = true }
        for file in written where gone.remove(file) == nil && !previous.contains(file) { adds = true }
        removed = gone.sorted()
        changesList = !removed.isEmpty || adds
    }

    /// True when a previous patch was interrupted: the folder may mix two builds.
    public static func isInterrupted(_ output: URL) -> Bool {
        FileManager.default.fileExists(atPath: output.appendingPathComponent(journalName).path)
    }

    /// Removes what is gone, moves every written file into `output` and clears the staging folder.
    public func apply(from staging: URL, to output: URL) async throws(StagingDirectory.Problem) {
        let root = output.path, source = staging.path
        // Checked before anything is touched: a refused patch leaves the folder as it was.
        for file in removed + written { try Self.checkNoLink(above: file, below: root) }
        let journal = root + "/" + Self.journalName
        guard FileManager.default.createFile(atPath: journal, contents: Data(source.utf8)) else {
            throw .io("cannot write '\(journal)': \(String(cString: strerror(errno)))")
        }
        for file in removed {
            unlink(root + "/" + file)
            removeEmptyParents(of: file, below: root)
        }
        for file in written {
            let target = root + "/" + file
            makeParents(of: file, below: root)
            guard rename(source + "/" + file, target) == 0 else {
                throw .io("cannot move '\(file)' into '\(root)': \(String(cString: strerror(errno))); the next build rebuilds the folder in full")
            }
        }
        unlink(journal)
        _ = await DirectoryRemoval.remove(source)
    }

    /// Nothing outside the output folder is touched: no folder on the way to `file` may be a symbolic link.
    static func checkNoLink(above file: String, below root: String) throws(StagingDirectory.Problem) {
        var path = root
        for part in file.split(separator: "/").dropLast() {
            path += "/" + part
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK {
                throw .io("refusing to write below '\(path)': it is a symbolic link (remove it, or build with --clean)")
            }
        }
    }

    private func removeEmptyParents(of file: String, below root: String) {
        var path = Substring(file)
        while let slash = path.lastIndex(of: "/") {
            path = path[..<slash]
            guard rmdir(root + "/" + path) == 0 else { return }
        }
    }

    private func makeParents(of file: String, below root: String) {
        guard let slash = file.lastIndex(of: "/") else { return }
        var built = root
        for part in file[..<slash].split(separator: "/") {
            built += "/" + part
            mkdir(built, 0o755)
        }
    }
}

extension StagingDirectory {
    /// Moves an incremental build's new and changed files into the output folder and removes
    /// the files it no longer makes (see `OutputPatch`).
    public func commit(_ patch: OutputPatch) async throws(Problem) {
        try Self.checkReplaceable(output)
        try await patch.apply(from: staging, to: output)
    }
}
