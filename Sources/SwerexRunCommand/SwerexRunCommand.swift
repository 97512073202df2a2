#if canImport(Glibc)
    import Glibc
#endif

/// The command-line entry point; the executable only calls `main()`.
public enum SwerexRun {
    public static func main() async {
        exit(0)
    }
}
