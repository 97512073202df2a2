import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Ports of 127.0.0.1 for tests that need one nothing listens on, or one to publish a container on.
///
/// A port from `bind(…, 0)` lies in the kernel's ephemeral range, which is also where every outgoing
/// connection takes its local port and where docker picks the host ports it publishes on: on a machine
/// that runs many containers and connections at once, such a port is soon taken again. These ports are
/// picked at random below that range, where only other tests that ask for a fixed port compete.
public enum LoopbackPorts {
    /// The lowest port handed out; the ones below are left to well-known services.
    static let lowest = 10_000

    /// A port of 127.0.0.1 that no socket used a moment ago (checked by binding it): racy, as any
    /// such choice is, but outside the ranges the kernel and docker hand out.
    public static func unused() -> Int {
        let highest = ephemeralRangeStart() - 1
        for _ in 0..<200 {
            let port = Int.random(in: lowest...highest)
            if isFree(port) { return port }
        }
        // Everything tried was in use: fall back on a port from the kernel.
        return kernelChosenPort()
    }

    /// The first port of the kernel's ephemeral range (32768 unless configured otherwise).
    static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let start = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32768
        return max(start, lowest + 1000)
    }

    /// Whether `port` of 127.0.0.1 can be bound without SO_REUSEADDR, which fails while any socket,
    /// listening, connected or in TIME_WAIT, holds it.
    static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func kernelChosenPort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = bind(descriptor, $0, length)
                _ = getsockname(descriptor, $0, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
