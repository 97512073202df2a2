/// Renders a plan the way Terraform does: one line per container with a symbol, the action and its
/// reason, then a one-line summary.
public struct PlanRenderer: Sendable {
    /// ANSI colour for the symbols (only on a terminal, never with NO_COLOR).
    public var colour: Bool

    public init(colour: Bool = false) {
        self.colour = colour
    }

    public func render(_ plan: Plan) -> String {
        guard !plan.actions.isEmpty else {
            return "Project \(plan.project): nothing in the manifest and nothing on the engine.\n"
        }
        let nameWidth = plan.actions.map(\.name.count).max() ?? 0
        var out = "Project \(plan.project):\n"
        for action in plan.actions {
            let name = action.name.padded(to: nameWidth)
            let kind = action.kind.rawValue.padded(to: 8)
            out += "\(symbol(action.kind)) \(name)  \(kind) \(action.reason)\n"
        }
        return out + "\n" + summary(plan) + "\n"
    }

    /// `Plan: 1 to create, 0 to replace, 0 to remove, 2 unchanged.` and what blocks it, if anything.
    public func summary(_ plan: Plan) -> String {
        var line =
            "Plan: \(plan.count(.create)) to create, \(plan.count(.replace)) to replace, "
            + "\(plan.count(.remove)) to remove, \(plan.count(.keep)) unchanged."
        if !plan.hasChanges && plan.conflicts.isEmpty { line = "No changes. " + line }
        let orphans = plan.count(.orphan)
        if orphans > 0 { line += " \(orphans) orphan\(orphans == 1 ? "" : "s") kept (--prune removes)." }
        let conflicts = plan.conflicts.count
        if conflicts > 0 {
            line += " \(conflicts) conflict\(conflicts == 1 ? "" : "s"): nothing changes until resolved."
        }
        return line
    }

    private func symbol(_ kind: PlannedAction.Kind) -> String {
        let (text, code): (String, String) =
            switch kind {
            case .create: ("  +", "32")
            case .keep: ("  =", "0")
            case .replace: ("-/+", "33")
            case .remove: ("  -", "31")
            case .orphan: ("  ?", "35")
            case .conflict: ("  !", "1;31")
            }
        guard colour, code != "0" else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
