import PressCore
import PressModel

/// Documents of one kind gathered with the keys the site lists them by: newest first, ties by title,
/// then by source path, so the order never depends on the file system.
struct NewestFirst<Item> {
    private var items: [Item] = []
    private var dates: [CalendarDate] = []
    private var titles: [String] = []
    private var paths: [String] = []

    mutating func append(_ item: Item, header: DocumentHeader) {
        dates.append(header.date ?? .distantPast)
        titles.append(header.title)
        paths.append(header.sourcePath)
        items.append(item)
    }

    /// Sorts the keys, then moves each document once into its place: copying one retains a dozen strings.
    /// Titles compare as UTF-8 bytes: the same order as String's for NFC text, without its Unicode machinery.
    consuming func sorted() -> [Item] {
        let order = dates.indices.sorted { i, j in
            if dates[i] != dates[j] { return dates[i] > dates[j] }
            let byTitle = UTF8Order.compare(titles[i], titles[j])
            return byTitle != 0 ? byTitle < 0 : UTF8Order.precedes(paths[i], paths[j])
        }
        var items = items
        Self.move(&items, into: order)
        return items
    }

    /// Puts `items[order[k]]` at `k` for every `k`, by swaps along each cycle of the permutation.
    static func move(_ items: inout [Item], into order: [Int]) {
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            var position = start
            while true {
                placed[position] = true
                let source = order[position]
                if source == start { break }
                items.swapAt(position, source)
                position = source
            }
        }
    }
}
