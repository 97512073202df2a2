/// The text of one input file, kept so that diagnostics can quote the line they point at.
public struct SourceFile: Sendable, Hashable {
    public let name: String
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The 1-based line's text without its line break (`\n` or `\r\n`), or nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1 else { return nil }
        var text = text
        return text.withUTF8 { bytes in
            var start = 0
            for _ in 1..<number {
                guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                start = newline + 1
            }
            var end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if end < bytes.count, end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }
}
