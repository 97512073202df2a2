import HTTPTransport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The ssh tunnels open in this process, so that the ones still open when the process exits are
/// closed then. ssh runs in a process group of its own (a Ctrl-C must not cut the tunnel that clean-up
/// still needs), so an engine that is never released, such as one kept in a global, would otherwise
/// leave its ssh running after the program ends.
enum TunnelRegistry {
    private static let open = Mutex<[ObjectIdentifier: SSHTunnel]>([:])

    /// Installs the exit handler once, on first use.
    private static let exitHandler: Void = {
        atexit { TunnelRegistry.closeAll() }
    }()

    static func add(_ tunnel: SSHTunnel) {
        _ = exitHandler
        open.withLock { $0[ObjectIdentifier(tunnel)] = tunnel }
    }

    /// Closes the tunnel and forgets it.
    static func close(_ tunnel: SSHTunnel) {
        tunnel.close()
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(tunnel)) }
    }

    private static func closeAll() {
        let tunnels = open.withLock { tunnels in
            defer { tunnels.removeAll() }
            return Array(tunnels.values)
        }
        for tunnel in tunnels { tunnel.close() }
    }
}
