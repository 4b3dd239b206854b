extension Array {
    /// This array and `other`, each sorted by `precedes`, as one sorted array, each element moved once:
    /// a merge where sorting both again would compare them all. On equal elements this array's come first.
    @inlinable
    public func mergingSorted(with other: [Element], by precedes: (Element, Element) -> Bool) -> [Element] {
        guard !other.isEmpty else { return self }
        var merged: [Element] = []
        merged.reserveCapacity(count + other.count)
        var i = 0, j = 0
        while i < count && j < other.count {
            if precedes(other[j], self[i]) {
                merged.append(other[j])
                j += 1
            } else {
                merged.append(self[i])
                i += 1
            }
        }
        merged += self[i...]
        merged += other[j...]
        return merged
    }
}
