/// A tar archive built in memory, in the POSIX ustar format, for the build context of `POST /build`.
/// Holds regular files only; names must fit ustar's 100-byte name field.
struct TarArchive {
    private(set) var bytes: [UInt8] = []

    private static let blockSize = 512

    /// Adds a regular file owned by root.
    /// - Parameters:
    ///   - name: the path inside the archive, such as `Dockerfile`; at most 100 bytes of UTF-8.
    ///   - contents: the file's bytes.
    ///   - mode: the permission bits.
    mutating func appendFile(named name: String, contents: [UInt8], mode: Int = 0o644) {
        var header = [UInt8](repeating: 0, count: Self.blockSize)
        write(Array(name.utf8.prefix(100)), into: &header, at: 0)
        write(octal(mode, width: 8), into: &header, at: 100)
        write(octal(0, width: 8), into: &header, at: 108)  // uid
        write(octal(0, width: 8), into: &header, at: 116)  // gid
        write(octal(contents.count, width: 12), into: &header, at: 124)
        write(octal(0, width: 12), into: &header, at: 136)  // mtime: fixed, so equal inputs give equal archives
        header[156] = UInt8(ascii: "0")  // regular file
        write(Array("ustar\0".utf8), into: &header, at: 257)
        write(Array("00".utf8), into: &header, at: 263)
        write(Array("root".utf8), into: &header, at: 265)
        write(Array("root".utf8), into: &header, at: 297)
        // The checksum is the byte sum of the header with its own field read as eight spaces.
        write([UInt8](repeating: UInt8(ascii: " "), count: 8), into: &header, at: 148)
        let checksum = header.reduce(0) { $0 + Int($1) }
        write(octal(checksum, width: 7) + [UInt8(ascii: " ")], into: &header, at: 148)

        bytes += header
        bytes += contents
        bytes += [UInt8](repeating: 0, count: Self.padding(for: contents.count))
    }

    /// The archive with its end marker (two zero blocks) appended.
    var finished: [UInt8] {
        bytes + [UInt8](repeating: 0, count: 2 * Self.blockSize)
    }

    private static func padding(for count: Int) -> Int {
        (blockSize - count % blockSize) % blockSize
    }

    /// `value` in octal, zero-padded to `width - 1` digits and NUL-terminated.
    private func octal(_ value: Int, width: Int) -> [UInt8] {
        let digits = String(value, radix: 8)
        let padded = String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        return Array(padded.utf8) + [0]
    }

    private func write(_ field: [UInt8], into header: inout [UInt8], at offset: Int) {
        header.replaceSubrange(offset..<offset + field.count, with: field)
    }
}
