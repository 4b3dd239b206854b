import PressCore

/// The keys of a table of records in `<` order, the order the cache writes them in. Most records of an
/// edit were read from the previous cache, whose lines were written in that order: put in the order of
/// their lines (integers), they need one comparison of neighbours to confirm it, where sorting 10,000
/// paths took about 130,000 comparisons of strings scattered in memory. The few records made anew are
/// sorted and merged in. A file whose lines are not in order (written by hand) is sorted as a whole.
enum ReadOrder {
    /// `table`'s keys sorted with `<`; `line` gives where a record's line was in the text it was read from.
    static func sortedKeys<Value>(_ table: [String: Value], line: (Value) -> Substring?) -> [String] {
        var read: [(at: String.Index, key: String)] = [], fresh: [String] = []
        read.reserveCapacity(table.count)
        // By index, not `for (key, value) in table`: that copied each document, a retain per field.
        for index in table.indices {
            if let at = line(table.values[index])?.startIndex { read.append((at, table.keys[index])) } else { fresh.append(table.keys[index]) }
        }
        read.sort { $0.at < $1.at }
        guard isIncreasing(read.lazy.map(\.key)) else { return table.keys.sorted() }
        fresh.sort()
        return merged(read.map(\.key), fresh)
    }

    private static func isIncreasing(_ keys: some Collection<String>) -> Bool {
        zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }
    }

    /// Two sorted lists as one.
    static func merged(_ first: [String], _ second: [String]) -> [String] {
        first.mergingSorted(with: second, by: <)
    }
}
