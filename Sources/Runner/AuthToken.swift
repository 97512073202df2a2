#if canImport(Glibc)
    import Glibc
#endif

/// A sandbox's auth token: 32 bytes from /dev/urandom as 64 hex characters, fresh for every container.
public enum AuthToken {
    /// - Throws: `RunnerError` when /dev/urandom cannot be read.
    public static func generate() throws(RunnerError) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RunnerError("cannot open /dev/urandom for a token: \(errnoText())") }
        defer { close(fd) }
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw RunnerError("cannot read /dev/urandom for a token: \(errnoText())") }
            filled += count
        }
        return bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}

/// The current `errno` as text.
func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
