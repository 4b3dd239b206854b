import CVips
import Foundation

/// An SVG for the press stays vector: WeasyPrint draws it as paths. Its sRGB paint (`fill`, `stroke`,
/// `stop-color`… as `#1f3b5c`, `#fff`, `rgb(31, 59, 92)`, `black`, `white`) is rewritten as `device-cmyk()`
/// in the press profile, converted as print photos are, so the drawing prints in CMYK like them.
public enum PressSVG {
    /// A paint property and its colour, as an attribute (`fill="#fff"`) or in a style (`fill: #fff`).
    private static let paint = try! NSRegularExpression(  // A constant pattern: it compiles.
        pattern: #"((?:fill|stroke|stop-color|flood-color|lighting-color|color)\s*(?:=\s*["']\s*|:\s*))"#
            + #"(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)|black|white)(?=[\s"';)]|$)"#)

    /// `svg` with every sRGB paint in `profile`'s CMYK.
    public static func converting(_ svg: String, profile: String) throws(ImageError) -> String {
        let text = svg as NSString
        let matches = paint.matches(in: svg, range: NSRange(location: 0, length: text.length))
        let written = matches.map { text.substring(with: $0.range(at: 2)) }
        let colours = Array(Set(written.compactMap(rgb))).sorted { $0.lexicographicallyPrecedes($1) }
        guard !colours.isEmpty else { return svg }
        guard VipsLibrary.started else { throw .cannotEncode(VipsLibrary.takeError()) }
        var cmyk = [UInt8](repeating: 0, count: colours.count * 4)
        guard qp_srgb_to_cmyk(colours.flatMap { $0 }, Int32(colours.count), profile, &cmyk) == 0 else {
            throw .cannotEncode(VipsLibrary.takeError())
        }
        var inks: [[UInt8]: String] = [:]
        for (index, colour) in colours.enumerated() {
            let values = cmyk[index * 4 ..< index * 4 + 4].map { String(format: "%.3f", Double($0) / 255) }
            inks[colour] = "device-cmyk(\(values.joined(separator: " ")))"
        }
        let result = NSMutableString(string: svg)
        for (match, colour) in zip(matches, written).reversed() {
            guard let value = rgb(colour), let ink = inks[value] else { continue }
            result.replaceCharacters(in: match.range(at: 2), with: ink)
        }
        return result as String
    }

    /// `#1f3b5c`, `#fff`, `rgb(31, 59, 92)`, `black`, `white` → its three bytes.
    static func rgb(_ colour: String) -> [UInt8]? {
        switch colour {
        case "black": return [0, 0, 0]
        case "white": return [255, 255, 255]
        default: break
        }
        if colour.hasPrefix("rgb(") {
            let values = colour.dropFirst(4).dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return values.count == 3 && values.allSatisfy({ $0 <= 255 }) ? values.map { UInt8($0) } : nil
        }
        var hex = colour.dropFirst()
        if hex.count == 3 { hex = Substring(hex.flatMap { [$0, $0] }) }
        guard hex.count == 6, let value = UInt32(hex, radix: 16) else { return nil }
        return [UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
