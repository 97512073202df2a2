import Manifest

/// `config` output, through the manifest module's renderer.
enum ConfigOutput {
    static func render(_ project: Project, json: Bool, explain: Bool) -> String {
        ManifestRenderer.render(project, format: json ? .json : .yaml, explain: explain)
    }
}
