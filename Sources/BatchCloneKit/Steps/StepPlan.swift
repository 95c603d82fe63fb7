import JSONValue

/// The steps each work item takes after its clone: one edit for every `--set` not yet applied, then `--open`.
///
/// Steps are known by what was asked (their option text), never by their resolved values.
public struct StepPlan: Sendable, Equatable {
    /// The step key of `--open` in the journal.
    public static let openKey = "open"

    public var sets: [SetOption]
    public var open: Bool
    /// Each source's CSV row, by column name, for `{row.COLUMN}`.
    public var rows: [String: [String: String]]

    public init(sets: [SetOption] = [], open: Bool = false, rows: [String: [String: String]] = [:]) {
        self.sets = sets
        self.open = open
        self.rows = rows
    }

    /// Whether the run has any step after the clone.
    public var isEmpty: Bool { sets.isEmpty && !open }

    /// Every step key the plan asks for, in order.
    public var keys: [String] { sets.map(\.stepKey) + (open ? [Self.openKey] : []) }

    /// The `--set` options not yet applied, given the step keys done.
    public func pendingSets(done: [String]) -> [SetOption] {
        sets.filter { !done.contains($0.stepKey) }
    }

    /// Whether `--open` is asked and not yet done.
    public func needsOpen(done: [String]) -> Bool {
        open && !done.contains(Self.openKey)
    }

    /// Whether any step is left, given the step keys done.
    public func hasPending(done: [String]) -> Bool {
        !pendingSets(done: done).isEmpty || needsOpen(done: done)
    }

    /// Whether applying `sets` may change an overlap value, which the API limits on its own.
    public static func changesOverlap(_ sets: [SetOption]) -> Bool {
        sets.contains { set in
            let path = set.field.components
            return path.first == "defaults" && path.count > 1 && path[1].hasPrefix("default_overlap")
                || path.first?.hasPrefix("default_overlap") == true
        }
    }

    /// Whether some template reads the source object.
    public var readsSource: Bool { sets.contains { !$0.template.sourceFields.isEmpty } }

    /// Every CSV column the templates read.
    public var rowColumns: [String] {
        var seen: [String] = []
        for column in sets.flatMap(\.template.rowColumns) where !seen.contains(column) { seen.append(column) }
        return seen
    }

    /// The first source field the templates read that `source` lacks, if any.
    public func missingSourceField(in source: JSONValue) -> String? {
        for set in sets {
            for case .source(let path) in set.template.parts {
                if source.value(at: path) == nil || source.value(at: path) == .null {
                    return path.joined(separator: ".")
                }
            }
        }
        return nil
    }

    /// `object` with every one of `sets` applied, each value filled from `context` and typed by the field it replaces.
    public func edit(_ object: JSONValue, applying sets: [SetOption], context: TemplateContext)
        -> Result<JSONValue, StepValueError>
    {
        var edited = object
        for set in sets {
            let field = set.field.description
            let text: String
            switch set.template.fill(context) {
            case .success(let filled): text = filled
            case .failure(let error): return .failure(error)
            }
            let value: JSONValue
            switch FieldValue.typed(
                text,
                replacing: edited.value(at: set.field.components),
                field: field,
                now: context.now
            )
            {
            case .success(let typed): value = typed
            case .failure(let error): return .failure(error)
            }
            guard let next = edited.setting(path: set.field.components, to: value) else {
                return .failure(.notAnObject(field: field))
            }
            edited = next
        }
        return .success(edited)
    }

    /// The context of `item`'s templates.
    public func context(for item: WorkItem, source: JSONValue?, now: Int64) -> TemplateContext {
        TemplateContext(source: source, copy: item.copy, row: rows[item.source] ?? [:], now: now)
    }
}
