import Foundation

/// Byte order of UTF-8 text with `memcmp`: a stable order for paths and terms that, unlike `<`
/// on strings, never normalises, and that the generic comparison of UTF-8 views made slow to sort.
public enum UTF8Order {
    public static func precedes(_ first: String, _ second: String) -> Bool {
        compare(first, second) < 0
    }

    /// Negative, zero or positive as `first` sorts before, with or after `second`: one pass where
    /// `==` then `<` on non-ASCII strings would take two through the Unicode machinery.
    public static func compare(_ first: String, _ second: String) -> Int {
        var first = first, second = second
        return first.withUTF8 { a in
            second.withUTF8 { b in
                let common = min(a.count, b.count)
                if common > 0, let left = a.baseAddress, let right = b.baseAddress {
                    let order = memcmp(left, right, common)
                    if order != 0 { return Int(order) }
                }
                return a.count - b.count
            }
        }
    }
}
