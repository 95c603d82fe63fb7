/// The candidate nearest to `word` by Damerau-Levenshtein distance (case-insensitive),
/// if within `max(2, word.count / 3)` edits; ties go to the earlier candidate.
public func closestMatch(to word: String, in candidates: [String]) -> String? {
    guard !word.isEmpty else { return nil }
    let target = Array(word.lowercased())
    let threshold = max(2, target.count / 3)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        // The distance is at least the length difference: a huge word is rejected without the quadratic table.
        guard abs(candidate.count - target.count) <= threshold else { continue }
        let distance = editDistance(target, Array(candidate.lowercased()))
        if distance <= threshold, distance < (best?.distance ?? Int.max) {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions,
// because swapped letters ("--limti") are the most common typo.
private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                value = min(value, previousPrevious[j - 2] + 1)
            }
            current[j] = value
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
}
