import Manifest

/// `config` output, through the manifest module's renderer.
enum ConfigOutput {
    static func render(_ manifest: LoadedManifest, json: Bool, explain: Bool) -> String {
        ManifestRenderer.render(manifest, format: json ? .json : .yaml, explain: explain)
    }
}
