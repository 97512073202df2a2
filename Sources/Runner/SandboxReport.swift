/// One sandbox as `up` and `status` report it: a row of the table, an object of the JSON output.
public struct SandboxReport: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// It answers `/is_alive`.
        case alive
        /// `up` could not bring it up; `detail` says why.
        case failed
        /// The run was interrupted before it answered.
        case interrupted
        /// Running but not answering (status).
        case notAnswering = "not-answering"
        /// Its container is not running (status).
        case stopped
        /// Running, but its token is not in the state file (status).
        case tokenUnknown = "token-unknown"
        /// The manifest wants it and there is no container (status).
        case missing
    }

    public var deployment: String
    public var replica: Int?
    public var name: String
    public var containerID: String?
    public var engine: EngineIdentityRecord
    public var url: String?
    /// Only for `up --output json`; never rendered as text, never in `status`.
    public var token: String?
    public var state: State
    /// Seconds from the run request to the first good answer; nil when kept or not alive.
    public var secondsToAlive: Double?
    /// What `up` did: create, replace or keep.
    public var action: String?
    /// Why it failed or is not answering.
    public var detail: String?

    public init(
        deployment: String, replica: Int?, name: String, containerID: String?, engine: EngineIdentityRecord,
        url: String?, token: String? = nil, state: State, secondsToAlive: Double? = nil, action: String? = nil,
        detail: String? = nil
    ) {
        self.deployment = deployment
        self.replica = replica
        self.name = name
        self.containerID = containerID
        self.engine = engine
        self.url = url
        self.token = token
        self.state = state
        self.secondsToAlive = secondsToAlive
        self.action = action
        self.detail = detail
    }
}
