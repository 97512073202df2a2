/// The image built for `python_standalone_dir`: any base image plus a Python 3.11 of its own under
/// that folder, with `swerex-remote` installed into it and on PATH.
///
/// The Dockerfile has two stages. The first compiles CPython from source in a builder image; the
/// second starts from the user's image (the build argument `BASE_IMAGE`) and copies the result in,
/// so the base image needs no Python and no compiler, only a C library compatible with the builder's
/// (glibc) and the shared libraries Python's modules link against (libssl, zlib, libffi).
public enum StandaloneImage {
    /// The builder image when nothing overrides it: Debian 12 with Python 3.11, as SWE-ReX uses.
    public static let defaultBuilderImage = "python:3.11-slim-bookworm"
    /// The environment variable that overrides the builder image, so tests can use a local image.
    public static let builderImageVariable = "SWEREX_STANDALONE_BUILDER_IMAGE"
    /// The build argument that names the base image.
    public static let baseImageArgument = "BASE_IMAGE"
    /// The CPython release compiled in the builder stage.
    public static let pythonVersion = "3.11.9"
    /// Where the builder stage installs Python.
    public static let builderPrefix = "/root/python3.11"

    /// The builder image to use: `override` when given, else the environment variable, else the default.
    /// - Parameters:
    ///   - override: an image chosen by the caller.
    ///   - environment: the process environment, read for `SWEREX_STANDALONE_BUILDER_IMAGE`.
    public static func builderImage(override: String? = nil, environment: [String: String]) -> String {
        if let override, !override.isEmpty { return override }
        if let value = environment[builderImageVariable], !value.isEmpty { return value }
        return defaultBuilderImage
    }

    /// The folder holding the standalone Python inside the final image: `<directory>/python3.11`.
    public static func pythonHome(in directory: String) -> String {
        let trimmed = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return trimmed == "/" ? "/python3.11" : "\(trimmed)/python3.11"
    }

    /// The path of `swerex-remote` in the final image, for the container's command.
    public static func remoteExecutable(in directory: String) -> String {
        "\(pythonHome(in: directory))/bin/swerex-remote"
    }

    /// The Dockerfile text.
    /// - Parameters:
    ///   - directory: `python_standalone_dir`, an absolute path in the final image.
    ///   - builderImage: the image that compiles Python; it needs apt-get (Debian or Ubuntu).
    /// - Returns: a Dockerfile that expects the build argument `BASE_IMAGE`.
    public static func dockerfile(directory: String, builderImage: String = defaultBuilderImage) -> String {
        let home = pythonHome(in: directory)
        let source = "Python-\(pythonVersion)"
        return """
            ARG \(baseImageArgument)

            # Stage 1: compile CPython into \(builderPrefix). A static libpython keeps the result
            # relocatable, so it still works once copied to another folder.
            FROM \(builderImage) AS builder
            RUN apt-get update \\
                && apt-get install -y --no-install-recommends \\
                    ca-certificates wget gcc make libc6-dev \\
                    zlib1g-dev libssl-dev libffi-dev libbz2-dev liblzma-dev libsqlite3-dev \\
                && rm -rf /var/lib/apt/lists/*
            WORKDIR /build
            RUN wget -q https://www.python.org/ftp/python/\(pythonVersion)/\(source).tgz \\
                && tar xzf \(source).tgz
            WORKDIR /build/\(source)
            RUN ./configure --prefix=\(builderPrefix) \\
                && make -j"$(nproc)" \\
                && make install \\
                && rm -rf /build

            # Stage 2: the user's image with that Python under \(home) and swerex-remote on PATH.
            FROM $\(baseImageArgument)
            COPY --from=builder \(builderPrefix) \(home)
            RUN \(home)/bin/python3 --version
            RUN \(home)/bin/python3 -m pip install --no-cache-dir swe-rex
            RUN mkdir -p /usr/local/bin \\
                && ln -sf \(home)/bin/swerex-remote /usr/local/bin/swerex-remote
            RUN swerex-remote --help >/dev/null

            """
    }

    /// The build that turns `baseImage` into a standalone image.
    /// - Parameters:
    ///   - baseImage: the manifest's image.
    ///   - directory: `python_standalone_dir`.
    ///   - builderImage: from `builderImage(override:environment:)`.
    ///   - platform: the manifest's platform, if any.
    ///   - labels: labels for the built image, so it can be found and removed later.
    public static func buildRequest(
        baseImage: String,
        directory: String,
        builderImage: String,
        platform: String? = nil,
        labels: [String: String] = [:]
    ) -> BuildRequest {
        BuildRequest(
            dockerfile: dockerfile(directory: directory, builderImage: builderImage),
            buildArgs: [baseImageArgument: baseImage],
            platform: platform,
            tag: nil,
            labels: labels
        )
    }
}
