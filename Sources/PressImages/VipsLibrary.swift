import CVips
import Foundation

/// libvips, started once per process before the first image.
enum VipsLibrary {
    static let started: Bool = qp_vips_init() == 0

    /// What libvips said went wrong since the last call, on one line.
    static func takeError() -> String {
        guard let pointer = qp_take_error() else { return "" }
        defer { qp_free(pointer) }
        return String(cString: pointer).split(whereSeparator: \.isNewline).joined(separator: "; ")
    }
}
