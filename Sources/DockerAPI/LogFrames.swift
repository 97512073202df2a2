/// Splits the body of `GET /containers/{id}/logs` for a container without a TTY, where every chunk of
/// output comes in a frame: one byte naming the stream (1 stdout, 2 stderr), three zero bytes, the
/// payload length as a big-endian 32-bit number, then the payload.
enum LogFrames {
    /// The stdout and stderr text of a framed log body. A body that does not start with a frame header
    /// (a container with a TTY) is all stdout.
    static func split(_ body: [UInt8]) -> (stdout: [UInt8], stderr: [UInt8]) {
        guard isFramed(body) else { return (body, []) }
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var offset = 0
        while offset + 8 <= body.count {
            let length = body[offset + 4..<offset + 8].reduce(0) { $0 << 8 | Int($1) }
            let start = offset + 8
            let end = min(start + length, body.count)
            if body[offset] == 2 {
                stderr += body[start..<end]
            } else {
                stdout += body[start..<end]
            }
            offset = end
        }
        return (stdout, stderr)
    }

    private static func isFramed(_ body: [UInt8]) -> Bool {
        guard let first = body.first else { return true }
        return body.count >= 8 && first <= 2 && body[1] == 0 && body[2] == 0 && body[3] == 0
    }
}
