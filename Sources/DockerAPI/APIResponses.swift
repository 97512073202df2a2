/// The parts of the Docker Engine API's answers that the engine reads. Field names follow the API.

/// `GET /version`.
struct VersionResponse: Decodable {
    var version: String
    var apiVersion: String
    var os: String
    var architecture: String

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case apiVersion = "ApiVersion"
        case os = "Os"
        case architecture = "Arch"
    }
}

/// The body of every API error: `{"message": "..."}`.
struct ErrorResponse: Decodable {
    var message: String
}

/// `POST /containers/create`.
struct CreateResponse: Decodable {
    var id: String

    enum CodingKeys: String, CodingKey {
        case id = "Id"
    }
}

/// `GET /images/{name}/json`.
struct ImageInspectResponse: Decodable {
    var id: String
    var repoTags: [String]?
    var os: String?
    var architecture: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case os = "Os"
        case architecture = "Architecture"
    }
}

/// `GET /containers/{id}/json`.
struct ContainerInspectResponse: Decodable {
    var id: String
    var name: String
    var imageID: String?
    var config: Config?
    var state: State?
    var networkSettings: NetworkSettings?

    struct Config: Decodable {
        var image: String?
        var labels: [String: String]?

        enum CodingKeys: String, CodingKey {
            case image = "Image"
            case labels = "Labels"
        }
    }

    struct State: Decodable {
        var status: String?
        var exitCode: Int?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case status = "Status"
            case exitCode = "ExitCode"
            case error = "Error"
        }
    }

    struct NetworkSettings: Decodable {
        /// `"8000/tcp"` → its bindings, or null when the port is exposed but not published.
        var ports: [String: [PortBinding]?]?

        enum CodingKeys: String, CodingKey {
            case ports = "Ports"
        }
    }

    struct PortBinding: Decodable {
        var hostIP: String?
        var hostPort: String?

        enum CodingKeys: String, CodingKey {
            case hostIP = "HostIp"
            case hostPort = "HostPort"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case imageID = "Image"
        case config = "Config"
        case state = "State"
        case networkSettings = "NetworkSettings"
    }
}

/// One entry of `GET /containers/json`.
struct ContainerSummaryResponse: Decodable {
    var id: String
    var names: [String]?
    var image: String?
    var imageID: String?
    var state: String?
    /// Human text such as `Exited (137) 3 seconds ago`, the only place the list gives an exit code.
    var status: String?
    var labels: [String: String]?
    var ports: [Port]?

    struct Port: Decodable {
        var ip: String?
        var privatePort: Int
        var publicPort: Int?
        var type: String?

        enum CodingKeys: String, CodingKey {
            case ip = "IP"
            case privatePort = "PrivatePort"
            case publicPort = "PublicPort"
            case type = "Type"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case names = "Names"
        case image = "Image"
        case imageID = "ImageID"
        case state = "State"
        case status = "Status"
        case labels = "Labels"
        case ports = "Ports"
    }
}
