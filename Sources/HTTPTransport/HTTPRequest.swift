/// One HTTP/1.1 request.
public struct HTTPRequest: Sendable {
    /// The method, such as `GET`, `POST` or `DELETE`.
    public var method: String
    /// The path with its query, already percent-encoded, such as `/containers/json?all=1`.
    public var path: String
    /// Extra header fields in the order they are sent. An empty value sends the field with no value.
    public var headers: [(String, String)]
    /// The body; nil sends none (POST, PUT and PATCH then send `Content-Length: 0`).
    public var body: [UInt8]?
    /// The limit on the whole request, connecting included; nil for no limit.
    public var timeout: Duration?

    public init(
        method: String = "GET",
        path: String,
        headers: [(String, String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
