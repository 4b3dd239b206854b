import Foundation

/// The one way the pipeline spreads work over the cores: the items are cut into slices, each slice
/// is a child task of a task group, and the results come back in slice order, so that no output
/// depends on which task finished first.
public enum ParallelSlices {
    /// A slice size that gives each core about `slicesPerCore` slices, within `minimum...maximum`.
    /// Small slices keep the tail short, where the last slice runs alone on one core.
    public static func size(for count: Int, slicesPerCore: Int, minimum: Int = 1, maximum: Int = .max) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let even = count / max(1, cores * slicesPerCore)
        return max(1, min(maximum, max(minimum, even)))
    }

    /// Runs `work` on each slice of `items` in parallel and returns its results in slice order.
    public static func map<Element: Sendable, Result: Sendable>(
        _ items: [Element], sliceSize: Int,
        _ work: @escaping @Sendable (ArraySlice<Element>) -> Result
    ) async -> [Result] {
        let size = max(1, sliceSize)
        return await withTaskGroup(of: (Int, Result).self) { group in
            for start in stride(from: 0, to: items.count, by: size) {
                let slice = items[start..<min(start + size, items.count)]
                group.addTask { (start, work(slice)) }
            }
            var parts: [(Int, Result)] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Maps every item on all cores, in order: `map` with the slices flattened.
    public static func flatMap<Element: Sendable, Result: Sendable>(
        _ items: [Element], sliceSize: Int,
        _ transform: @escaping @Sendable (Element) -> Result
    ) async -> [Result] {
        await map(items, sliceSize: sliceSize) { $0.map(transform) }.flatMap { $0 }
    }

    /// As `map`, for work that throws: the first error (in slice order) is rethrown after every
    /// slice has finished, so no task outlives the call.
    public static func map<Element: Sendable, Result: Sendable>(
        _ items: [Element], sliceSize: Int,
        _ work: @escaping @Sendable (ArraySlice<Element>) throws -> Result
    ) async throws -> [Result] {
        let outcomes: [Swift.Result<Result, any Error>] = await map(items, sliceSize: sliceSize) { slice in
            Swift.Result { try work(slice) }
        }
        return try outcomes.map { try $0.get() }
    }
}
