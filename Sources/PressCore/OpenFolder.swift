import Foundation

/// A folder kept open, to look for files below it by their paths relative to it: the kernel then walks
/// only those (`faccessat`), not the folder's own path again for each of 10,000 reused pages. With the
/// effective IDs (`AT_EACCESS`), as opening the file would use them: with the real ones, the kernel makes
/// a set of credentials for each call when they differ, or when the user is root.
public final class OpenFolder: Sendable {
    private let descriptor: Int32
    /// The folder's path with its `/`: a file's path relative to the folder is what follows it.
    private let prefix: [CChar]

    public init?(_ path: String) {
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        prefix = Array((path.hasSuffix("/") ? path : path + "/").utf8CString.dropLast())
    }

    deinit { close(descriptor) }

    /// Whether the file exists; nil when `file` is not a path below the folder.
    public func holds(_ file: String) -> Bool? {
        guard file.utf8.count > prefix.count else { return nil }
        return file.withCString { path -> Bool? in
            guard strncmp(path, prefix, prefix.count) == 0 else { return nil }
            return faccessat(descriptor, path + prefix.count, F_OK, AT_EACCESS) == 0
        }
    }

    /// Whether the file at `path`, relative to the folder, exists.
    public func holds(relative path: String) -> Bool {
        faccessat(descriptor, path, F_OK, AT_EACCESS) == 0
    }
}
