/// A step the run's own rules do not allow: a bug of batch-clone, never the user's input.
///
/// The machine never traps on one: it ends the run (`RunError.internalError`, exit 70) with every
/// journal event before it saved, so a re-run resumes.
enum InternalError: Error, Equatable, CustomStringConvertible {
    /// A work item asked to move between stages that do not follow each other.
    case illegalMove(WorkItem, from: String, to: String)
    /// An event the journal refuses.
    case journal(JournalViolation)
    /// An answer for the send pipeline when it works on no item.
    case noCurrentItem(answer: String)

    var description: String {
        switch self {
        case .illegalMove(let item, let from, let to): "\(item) cannot move from \(from) to \(to)"
        case .journal(let violation): "journal: \(violation)"
        case .noCurrentItem(let answer): "\(answer) without an item to send"
        }
    }
}
