/// One JSON line of a pull or build stream (the API's `JSONMessage`): a status or build output, an
/// error, or an `aux` payload such as the id of a built image.
struct StreamMessage: Decodable, Sendable {
    var stream: String?
    var status: String?
    var id: String?
    var progressDetail: ProgressDetail?
    var error: String?
    var errorDetail: ErrorDetail?
    var aux: Aux?

    struct ProgressDetail: Decodable, Sendable {
        var current: Int64?
        var total: Int64?
    }

    struct ErrorDetail: Decodable, Sendable {
        var message: String?
    }

    struct Aux: Decodable, Sendable {
        var imageID: String?

        enum CodingKeys: String, CodingKey {
            case imageID = "ID"
        }
    }

    enum CodingKeys: String, CodingKey {
        case stream, status, id, progressDetail, error, errorDetail, aux
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stream = try container.decodeIfPresent(String.self, forKey: .stream)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        progressDetail = try? container.decodeIfPresent(ProgressDetail.self, forKey: .progressDetail)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        errorDetail = try? container.decodeIfPresent(ErrorDetail.self, forKey: .errorDetail)
        // BuildKit sends other aux payloads (such as base64 trace records); only the image id matters here.
        aux = try? container.decodeIfPresent(Aux.self, forKey: .aux)
    }

    /// The error this message reports, if it reports one.
    var errorMessage: String? {
        errorDetail?.message ?? error
    }

    /// The text to show: build output or a status, without its trailing newline; nil when empty.
    var text: String? {
        var text = stream ?? status ?? ""
        while let last = text.last, last.isNewline { text.removeLast() }
        return text.isEmpty ? nil : text
    }
}
