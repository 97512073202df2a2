/// A source text split into lines as YAML counts them (`\n`, `\r`, `\r\n`, U+0085, U+2028, U+2029), for
/// looking at the characters around an event.
///
/// Lines stay UTF-8 byte ranges of one copy of the text. libyaml counts columns in characters (Unicode
/// scalars), so a line holding non-ASCII text is also kept decoded into scalars; an ASCII line's scalars
/// are its bytes.
struct SourceLines {
    private let bytes: [UInt8]
    /// The byte offset of each line's first byte, and just past its last (its break left out).
    private let starts: [Int]
    private let ends: [Int]
    /// The scalars of each line that is not plain ASCII, by 0-based line index.
    private let decoded: [Int: [Unicode.Scalar]]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var starts: [Int] = []
        var ends: [Int] = []
        var decoded: [Int: [Unicode.Scalar]] = [:]
        bytes.withUnsafeBufferPointer { bytes in
            var lineStart = 0
            var lineIsASCII = true
            var index = 0
            while index <= bytes.count {
                // The break at `index` and its length; the end of the text ends the last line.
                var breakLength = 0
                if index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\n") {
                        breakLength = 1
                    } else if byte == UInt8(ascii: "\r") {
                        breakLength = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") ? 2 : 1
                    } else if byte >= 0x80 {
                        lineIsASCII = false
                        breakLength = Self.unicodeBreakLength(bytes, at: index)
                    }
                    if breakLength == 0 {
                        index += 1
                        continue
                    }
                }
                if !lineIsASCII {
                    let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<index]), as: UTF8.self)
                    decoded[starts.count] = Array(line.unicodeScalars)
                }
                starts.append(lineStart)
                ends.append(index)
                index += max(breakLength, 1)
                lineStart = index
                lineIsASCII = true
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.ends = ends
        self.decoded = decoded
    }

    /// U+0085 (`C2 85`), U+2028 (`E2 80 A8`) and U+2029 (`E2 80 A9`): the length of the one at `index`,
    /// or 0 when none is there.
    private static func unicodeBreakLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        if bytes[index] == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 { return 2 }
        guard bytes[index] == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80 else { return 0 }
        return bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 ? 3 : 0
    }

    /// How many lines there are: one more than there are line breaks.
    var count: Int { starts.count }

    /// How many characters the 1-based line holds; 0 past the end.
    func length(line: Int) -> Int {
        guard line >= 1, line <= starts.count else { return 0 }
        if !decoded.isEmpty, let scalars = decoded[line - 1] { return scalars.count }
        return ends[line - 1] - starts[line - 1]
    }

    /// The character at a 1-based line and a 0-based index in it, or nil outside the text.
    func character(line: Int, index: Int) -> Unicode.Scalar? {
        guard line >= 1, line <= starts.count, index >= 0 else { return nil }
        if !decoded.isEmpty, let scalars = decoded[line - 1] {
            return index < scalars.count ? scalars[index] : nil
        }
        let offset = starts[line - 1] + index
        return offset < ends[line - 1] ? Unicode.Scalar(bytes[offset]) : nil
    }
}
