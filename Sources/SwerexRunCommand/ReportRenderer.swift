import Diagnostics
import Foundation
import Runner

/// Sandbox reports as a text table (never with a token) or as JSON for pipelines.
enum ReportRenderer {
    static let headers = ["DEPLOYMENT", "REPLICA", "ENGINE", "ENDPOINT", "CONTAINER", "URL", "STATE", "ALIVE IN"]

    static func table(_ reports: [SandboxReport]) -> String {
        let rows = reports.map { report in
            [
                report.deployment,
                report.replica.map(String.init) ?? "-",
                "\(report.engine.kind)/\(report.engine.runtime)",
                report.engine.endpoint,
                report.containerID.map { String($0.prefix(12)) } ?? "-",
                report.url ?? "-",
                report.state.rawValue,
                aliveIn(report),
            ]
        }
        return TextTable(headers: headers, rows: rows).render()
    }

    private static func aliveIn(_ report: SandboxReport) -> String {
        if let seconds = report.secondsToAlive { return String(format: "%.2fs", seconds) }
        return report.state == .alive && report.action == "keep" ? "kept" : "-"
    }

    /// `{"project": ..., "sandboxes": [...]}`; tokens only when `withTokens`.
    static func json(project: String, _ reports: [SandboxReport], withTokens: Bool) -> String {
        let sandboxes: [[String: Any]] = reports.map { report in
            var object: [String: Any] = [
                "deployment": report.deployment,
                "name": report.name,
                "engine": report.engine.kind,
                "runtime": report.engine.runtime,
                "endpoint": report.engine.endpoint,
                "state": report.state.rawValue,
            ]
            object["replica"] = report.replica ?? NSNull()
            object["container_id"] = report.containerID ?? NSNull()
            object["url"] = report.url ?? NSNull()
            object["seconds_to_alive"] = report.secondsToAlive ?? NSNull()
            if let action = report.action { object["action"] = action }
            if let detail = report.detail { object["detail"] = detail }
            if withTokens { object["token"] = report.token ?? NSNull() }
            return object
        }
        return JSONText.encode(["project": project, "sandboxes": sandboxes])
    }
}

/// JSON text with sorted keys and a final newline.
enum JSONText {
    static func encode(_ object: Any) -> String {
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Columns padded to their widest cell, two spaces apart.
struct TextTable {
    var headers: [String]
    var rows: [[String]]

    func render() -> String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        return ([headers] + rows).map { cells in
            var line = ""
            for (column, cell) in cells.enumerated() {
                line += column == cells.count - 1 ? cell : cell.padded(to: widths[column]) + "  "
            }
            return line
        }.joined(separator: "\n") + "\n"
    }
}

/// A manifest problem as JSON: severity, message and, when known, file, line and column.
enum DiagnosticJSON {
    static func object(_ diagnostic: Diagnostic) -> [String: Any] {
        var object: [String: Any] = ["severity": diagnostic.severity.rawValue, "message": diagnostic.message]
        if let location = diagnostic.location {
            object["file"] = location.file
            object["line"] = location.line
            object["column"] = location.column
        }
        return object
    }
}
