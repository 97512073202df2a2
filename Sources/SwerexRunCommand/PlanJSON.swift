import Runner

/// A plan as JSON: each action with its reason, and the counts.
enum PlanJSON {
    static func encode(_ plan: Plan) -> String {
        let actions: [[String: Any]] = plan.actions.map { action in
            var object: [String: Any] = [
                "action": action.kind.rawValue,
                "name": action.name,
                "deployment": action.deployment,
                "reason": action.reason,
            ]
            if let replica = action.replica { object["replica"] = replica }
            if let container = action.container { object["container_id"] = container.id }
            return object
        }
        var counts: [String: Int] = [:]
        for kind in PlannedAction.Kind.allCases { counts[kind.rawValue] = plan.count(kind) }
        return JSONText.encode([
            "project": plan.project, "actions": actions, "counts": counts, "changes": plan.hasChanges,
        ])
    }
}
