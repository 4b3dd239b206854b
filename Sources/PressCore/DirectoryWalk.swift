import Foundation

/// The regular files below a folder, with size and modification time, from `readdir` and
/// `stat`: a tenth of the cost of FileManager's enumerator on a site of 10,000 files.
/// Hidden files and folders (`.git`, `.DS_Store`) are skipped; symbolic links are followed.
public enum DirectoryWalk {
    public struct Entry: Sendable {
        /// Relative to the walked folder, `/`-separated.
        public var path: String
        public var size: Int
        public var modified: Double
    }

    public static func files(in folder: URL) -> [Entry] {
        var entries: [Entry] = []
        var pending = [""]
        let root = folder.standardizedFileURL.path
        while let relative = pending.popLast() {
            guard let handle = opendir(relative.isEmpty ? root : root + "/" + relative) else { continue }
            defer { closedir(handle) }
            // Names are looked up relative to the open folder: the kernel does not walk the whole path again.
            let folder = dirfd(handle)
            while let entry = readdir(handle) {
                var info = stat()
                let skipped = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { name in
                        name.pointee == CChar(UInt8(ascii: ".")) || fstatat(folder, name, &info, 0) != 0
                    }
                }
                if skipped { continue } // hidden, or gone since it was listed
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                let child = relative.isEmpty ? name : relative + "/" + name
                switch info.st_mode & S_IFMT {
                case S_IFDIR: pending.append(child)
                case S_IFREG:
                    let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                    entries.append(Entry(path: child, size: Int(info.st_size), modified: modified))
                default: continue
                }
            }
        }
        return entries.sorted { $0.path < $1.path }
    }
}

/// Deletes a folder tree with `readdir`, `unlink` and `rmdir`, never following symbolic links.
/// The folder's entries are shared among tasks: an output of 10,000 pages has 10,000 folders,
/// and FileManager took a tenth of an incremental build to remove the previous one.
public enum DirectoryRemoval {
    /// True when `path` is gone afterwards.
    public static func remove(_ path: String, tasks: Int = ProcessInfo.processInfo.activeProcessorCount) async -> Bool {
        let children = entries(of: path)
        await withTaskGroup(of: Void.self) { group in
            for part in 0..<max(1, tasks) {
                group.addTask {
                    for (index, child) in children.enumerated() where index % max(1, tasks) == part { removeEntry(path + "/" + child.name, isDirectory: child.isDirectory) }
                }
            }
        }
        return rmdir(path) == 0 || errno == ENOENT
    }

    private static func removeEntry(_ path: String, isDirectory: Bool) {
        guard isDirectory else {
            unlink(path)
            return
        }
        for child in entries(of: path) { removeEntry(path + "/" + child.name, isDirectory: child.isDirectory) }
        rmdir(path)
    }

    static func entries(of directory: String) -> [(name: String, isDirectory: Bool)] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var result: [(String, Bool)] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                var info = stat()
                isDirectory = lstat(directory + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            result.append((name, isDirectory))
        }
        return result
    }
}
