/// The `--json` events, one `Encodable` struct per kind; `Examples/events.schema.json` documents them.
///
/// Property names become the schema's snake_case field names (`JSONLines` converts them);
/// `@Nullable` fields are always present, as `null` when unknown.
enum JSONEvent {
    struct Started: Encodable {
        let event = "started"
        var total: Int
        var alreadyDone: Int
        var alreadyFailed: Int
        var toDo: Int
    }

    struct Warning: Encodable {
        let event = "warning"
        var message: String
    }

    struct ForeignClones: Encodable {
        let event = "foreign_clones"
        var count: Int
        var windowSeconds: Int
    }

    struct Waiting: Encodable {
        let event = "waiting"
        var until: String
    }

    struct Submitted: Encodable {
        let event = "submitted"
        var poolID: String
        /// `pool` or `training`: what `pool_id` names.
        var target: String
        /// Which clone of the source (from 1; a row's `copies`).
        var copy: Int
        var operationID: String
    }

    struct Cloned: Encodable {
        let event = "cloned"
        var poolID: String
        /// `pool` or `training`: what `pool_id` names.
        var target: String
        /// Which clone of the source (from 1; a row's `copies`).
        var copy: Int
        /// Nil when the server did not name the new pool.
        @Nullable var newPoolID: String?
        var operationID: String
    }

    /// A step after the clone done: `set FIELD=VALUE` (several joined by `; ` for one edit) or `open`.
    struct StepDone: Encodable {
        let event = "step_done"
        var poolID: String
        /// `pool` or `training`: what `pool_id` names.
        var target: String
        /// Which clone of the source (from 1; a row's `copies`).
        var copy: Int
        var newPoolID: String
        var step: String
    }

    struct Failed: Encodable {
        let event = "failed"
        var poolID: String
        /// `pool` or `training`: what `pool_id` names.
        var target: String
        /// Which clone of the source (from 1; a row's `copies`).
        var copy: Int
        var reason: String
    }

    struct Retrying: Encodable {
        let event = "retrying"
        var poolID: String
        /// `pool` or `training`: what `pool_id` names.
        var target: String
        /// Which clone of the source (from 1; a row's `copies`).
        var copy: Int
        var reason: String
    }

    struct Reconciled: Encodable {
        let event = "reconciled"
        var poolID: String
        /// `pool` or `training`: what `pool_id` names.
        var target: String
        /// Which clone of the source (from 1; a row's `copies`).
        var copy: Int
        /// null: no clone found within the reconcile window; the pool is sent again, or fails once its attempts are spent.
        @Nullable var operationID: String?
    }

    struct RateLimited: Encodable {
        let event = "rate_limited"
        var poolID: String
        /// `pool` or `training`: what `pool_id` names.
        var target: String
        /// Which clone of the source (from 1; a row's `copies`).
        var copy: Int
        @Nullable var interval: String?
        /// The configured limit the interval maps to; null for an hour no configured window stands for.
        @Nullable var limit: String?
        var until: String
        var reason: String
    }

    struct Stopped: Encodable {
        let event = "stopped"
        let reason = "limit"
        var resumeAt: String
    }

    struct Summary: Encodable {
        let event = "summary"
        var total: Int
        var cloned: Int
        var clonedNow: Int
        var clonesSent: Int
        var failed: Int
        var left: Int
        var exitCode: Int
        var results: String
        var journal: String
        /// Only when the run stopped at the limit.
        var resumeAt: String?
        var error: String?
    }

    struct Plan: Encodable {
        struct Day: Encodable {
            var day: String
            var count: Int
        }

        let event = "plan"
        var total: Int
        var alreadyDone: Int
        var alreadyFailed: Int
        var inProgress: Int
        var toClone: Int
        var fitNow: Int
        @Nullable var lastSend: String?
        var perDay: [Day]
        /// With `--set`/`--open`: work items with a step left, and when the last overlap edit can go.
        var itemsWithSteps: Int?
        var overlapEdits: Int?
        var lastOverlapEdit: String?
    }
}
