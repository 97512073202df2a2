/// The text of one input file, kept so that diagnostics can quote the line they point at.
public struct SourceFile: Sendable, Hashable {
    public let name: String
    public let text: String
    /// The UTF-8 offset where each line starts, so that quoting a line costs no scan of the file.
    private let lineStarts: [Int]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        var starts = [0]
        var bytes = text
        bytes.withUTF8 { bytes in
            var previous: UInt8 = 0
            for offset in bytes.indices {
                let byte = bytes[offset]
                // "\r\n" is one break; a lone "\r" is one too, as YAML reads it.
                if byte == UInt8(ascii: "\n") || previous == UInt8(ascii: "\r") && byte != UInt8(ascii: "\n") {
                    starts.append(byte == UInt8(ascii: "\n") ? offset + 1 : offset)
                }
                previous = byte
            }
            if previous == UInt8(ascii: "\r") { starts.append(bytes.count) }
        }
        self.lineStarts = starts
    }

    /// The 1-based line's text without its line break, or nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[number - 1])
        var end = number < lineStarts.count ? utf8.index(utf8.startIndex, offsetBy: lineStarts[number]) : utf8.endIndex
        while end > start, let last = utf8[utf8.index(before: end)...].first, last == 10 || last == 13 {
            end = utf8.index(before: end)
        }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    public static func == (lhs: SourceFile, rhs: SourceFile) -> Bool {
        lhs.name == rhs.name && lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(text)
    }
}
