/// The known field an unknown one was probably meant to be: users from Hugo write `baseURL`,
/// `languageCode` and `organization` for `base_url`, `language` and `organisation`.
enum FieldNameHint {
    /// Names are compared lowercased without `_` and `-`, so camelCase meets snake_case; then a small
    /// edit distance is allowed (one edit per four characters, at most two), or a known name that
    /// begins the unknown one (`languageCode` → `language`). Nil when nothing is close.
    static func nearest(to unknown: String, among known: some Collection<String>) -> String? {
        let target = normalized(unknown)
        guard !target.isEmpty, target.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for name in known.sorted() {
            let candidate = normalized(name)
            var distance = candidate == target ? 0 : editDistance(Array(target), Array(candidate))
            if distance > allowedDistance(for: candidate), candidate.count >= 5, target.hasPrefix(candidate) {
                distance = allowedDistance(for: candidate)
            }
            guard distance <= allowedDistance(for: candidate), distance < (best?.distance ?? .max) else { continue }
            best = (name, distance)
        }
        return best?.name
    }

    private static func normalized(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" })
    }

    private static func allowedDistance(for name: String) -> Int { min(2, max(1, name.count / 4)) }

    /// Edit distance counting a swap of two neighbours as one edit (`titel` → `title`).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
