import Foundation
import JSONValue

/// The objects an account holds from the start: any numeric ID names one, with these settings.
extension SimulatedObject {
    /// A seed pool or training with plausible settings; `willExpire` applies to pools only, as
    /// trainings have no expiry.
    static func template(_ target: SimulatedTarget, id: String, created: Date, willExpire: Date) -> SimulatedObject {
        let fields: [(String, JSONValue)]
        switch target {
        case .pool:
            fields = [
                ("project_id", .string("1")),
                ("private_name", .string("pool \(id)")),
                ("public_description", .string("Simulated pool \(id)")),
                ("may_contain_adult_content", .bool(false)),
                ("will_expire", .string(SimulatorTime.format(willExpire))),
                ("reward_per_assignment", .double(0.02)),
                ("assignment_max_duration_seconds", .int(600)),
                ("auto_accept_solutions", .bool(true)),
                ("priority", .int(0)),
                ("assignments_issuing_config", .object([("issue_task_suites_in_creation_order", .bool(false))])),
                (
                    "defaults",
                    .object([
                        ("default_overlap_for_new_task_suites", .int(3)), ("default_overlap_for_new_tasks", .int(3)),
                    ])
                ),
            ]
        case .training:
            fields = [
                ("project_id", .string("1")),
                ("private_name", .string("training \(id)")),
                ("may_contain_adult_content", .bool(false)),
                ("assignment_max_duration_seconds", .int(600)),
                ("mix_tasks_in_creation_order", .bool(true)),
                ("shuffle_tasks_in_task_suite", .bool(false)),
                ("training_tasks_in_task_suite_count", .int(3)),
                ("task_suites_required_to_pass", .int(5)),
                ("retry_training_after_days", .int(1)),
                ("inherited_instructions", .bool(true)),
                ("public_instructions", .string("")),
            ]
        }
        return SimulatedObject(target: target, id: id, fields: fields, created: created, openOperationID: nil)
    }
}
