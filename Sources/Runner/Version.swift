/// The tool's version, shown by `--version` and written on every container it creates.
public enum SwerexRunVersion {
    public static let current = "0.1.0"
}
