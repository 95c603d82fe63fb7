/// Which seed templates (objects the account holds from the start) expire in the past, so that
/// their clones cannot be opened until `will_expire` is changed.
public enum ExpiredTemplates: Sendable, Equatable {
    case none
    case all
    case only(Set<String>)

    func contains(_ id: String) -> Bool {
        switch self {
        case .none: false
        case .all: true
        case .only(let ids): ids.contains(id)
        }
    }
}
