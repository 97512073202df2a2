// swift-tools-version: 6.0
import PackageDescription

/// Settings every Swift target shares.
let sharedSettings: [SwiftSetting] = [
    // Opt in to the Swift 6 upcoming features that make module boundaries explicit.
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    // Release builds take the Swift runtime and Foundation in statically (with the executable's linker
    // setting below), so that each module's imports name the static libraries.
    .unsafeFlags(["-static-stdlib"], .when(configuration: .release)),
]

/// The data path, one module a step: YAML text → document tree → manifest → engine calls → runner.
var targets: [Target] = [
    // C libraries from Debian packages, each wrapped by exactly one Swift module.
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
    // libcurl is opened on first use (dlopen), not linked: see Sources/CCurl/shim.h.
    .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    // glibc's posix_spawn action that closes inherited descriptors, hidden from Swift's Glibc module.
    .systemLibrary(name: "CSpawn"),

    // Source positions and compiler-style error rendering, shared by every step that reads files.
    .target(name: "Diagnostics"),
    // SHA-256, for spec hashes and the docker context store (Foundation on Linux has no digest API).
    .target(name: "Digest"),
    // YAML text → document tree with positions (libyaml's event API).
    .target(name: "YAMLDocument", dependencies: ["CYAML", "Diagnostics"]),
    // The engine interface, its value types and errors; the docker-run flag parser; endpoints.
    .target(name: "ContainerEngine"),
    // Document tree → validated project of deployment configs, engines and endpoints.
    .target(name: "Manifest", dependencies: ["YAMLDocument", "Diagnostics", "ContainerEngine", "Digest"]),
    // HTTP/1.1 over libcurl: unix sockets, TCP, TLS, streamed bodies.
    .target(name: "HTTPTransport", dependencies: ["CCurl", "CSpawn"]),
    // The sdk engine: the Docker Engine HTTP API.
    .target(name: "DockerAPI", dependencies: ["ContainerEngine", "HTTPTransport"]),
    // The cli engine: the docker or podman command.
    .target(name: "DockerCLI", dependencies: ["ContainerEngine"]),
    // Plan, reconcile, liveness, teardown.
    .target(
        name: "Runner",
        dependencies: [
            "Manifest", "ContainerEngine", "DockerAPI", "DockerCLI", "HTTPTransport", "Diagnostics", "Digest",
        ]
    ),
    // Argument parsing and the commands; the executable is a thin shell over it.
    .target(name: "SwerexRunCommand", dependencies: ["Runner", "Manifest", "Diagnostics", "YAMLDocument"]),
    .executableTarget(
        name: "swerex-run",
        dependencies: ["SwerexRunCommand"],
        // The dynamic loader resolving the Swift runtime's and Foundation's symbols was most of the start-up
        // (16 ms of `--version`); linked in, it takes 9 ms.
        linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
    ),

    // What every test target shares: where the test engines, images and certificates are.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
    .testTarget(
        name: "YAMLDocumentTests",
        dependencies: ["YAMLDocument", "Diagnostics", "TestSupport"],
        exclude: ["Fixtures"]  // read through #filePath, not bundled
    ),
    .testTarget(
        name: "ManifestTests",
        dependencies: ["Manifest", "ContainerEngine", "YAMLDocument", "Diagnostics", "Digest", "TestSupport"],
        exclude: ["Fixtures"]  // read through #filePath, not bundled
    ),
    .testTarget(
        name: "EngineTests",
        dependencies: ["ContainerEngine", "DockerAPI", "DockerCLI", "HTTPTransport", "TestSupport"],
        // Golden files, read from the source tree by path.
        exclude: ["Fixtures"]
    ),
    .testTarget(
        name: "RunnerTests",
        dependencies: [
            "Runner", "Manifest", "ContainerEngine", "DockerAPI", "DockerCLI", "HTTPTransport", "Digest", "TestSupport",
        ]
    ),
    .testTarget(name: "CommandTests", dependencies: ["SwerexRunCommand", "TestSupport", "CSpawn"]),
]

for index in targets.indices where targets[index].type != .system {
    targets[index].swiftSettings = (targets[index].swiftSettings ?? []) + sharedSettings
}

let package = Package(
    name: "swerex-run",
    products: [
        .executable(name: "swerex-run", targets: ["swerex-run"])
    ],
    targets: targets,
    swiftLanguageModes: [.v6]
)
