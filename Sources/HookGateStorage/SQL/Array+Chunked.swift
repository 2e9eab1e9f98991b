extension Array {
    /// Consecutive slices of at most `size` elements, for statements that must stay under a limit on bound parameters.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
