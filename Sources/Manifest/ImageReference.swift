/// The image reference grammar the docker and podman commands accept:
/// `[HOST[:PORT]/]PATH[:TAG][@ALGORITHM:HEX]`, where PATH is lowercase components separated by `/`.
///
/// The first component is a registry host when another follows and it holds a `.` or a `:`, is
/// `localhost`, or has an uppercase letter. An image ID (`sha256:HEX`, or its short hex form) reads as a
/// name with a tag, so it passes too.
enum ImageReference {
    /// The longest repository name (host and path), as docker allows.
    static let maxNameLength = 255

    /// What is wrong with `reference`, said so that a message can follow "image ... is not valid: ",
    /// or nil when it is a well-formed reference.
    static func problem(with reference: String) -> String? {
        if isPlainlyValid(reference) { return nil }
        if let bad = reference.unicodeScalars.first(where: isSpaceOrControl) {
            return "it holds \(describe(bad)); an image reference has no spaces or control characters"
        }
        var name = Substring(reference)
        if let at = name.firstIndex(of: "@") {
            if let problem = digestProblem(name[name.index(after: at)...]) { return problem }
            name = name[..<at]
        }
        let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
        if let colon = name[lastSlash...].lastIndex(of: ":") {
            if let problem = tagProblem(name[name.index(after: colon)...]) { return problem }
            name = name[..<colon]
        }
        return nameProblem(name)
    }

    /// Whether the reference is valid in the form nearly every manifest writes (`name[/name...][:tag]`,
    /// lowercase, no registry host, no digest), told from its bytes. False says nothing: the full check
    /// then decides, and words the problem.
    private static func isPlainlyValid(_ reference: String) -> Bool {
        var reference = reference
        return reference.withUTF8 { bytes in
            guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "@") }) else {
                return false
            }
            var name = bytes[...]
            let lastSlash = name.lastIndex(of: UInt8(ascii: "/")) ?? name.startIndex
            if let colon = name[lastSlash...].lastIndex(of: UInt8(ascii: ":")) {
                let tag = name[(colon + 1)...]
                guard let first = tag.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"), tag.count <= 128,
                    tag.allSatisfy({ isLowerAlphanumeric($0) || isUpper($0) || isTagPunctuation($0) })
                else { return false }
                name = name[..<colon]
            }
            guard !name.isEmpty, name.count <= maxNameLength else { return false }
            let components = name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            if components.count > 1 {
                let first = components[0]
                let mayBeHost =
                    first.contains(UInt8(ascii: ".")) || first.contains(UInt8(ascii: ":"))
                    || first.elementsEqual("localhost".utf8) || first.contains(where: isUpper)
                guard !mayBeHost else { return false }
            }
            return components.allSatisfy { isPlainPathComponent($0) }
        }
    }

    /// `[a-z0-9]+` runs joined by `.`, `_`, `__` or dashes, on bytes.
    private static func isPlainPathComponent(_ component: some BidirectionalCollection<UInt8>) -> Bool {
        guard let first = component.first, let last = component.last, isLowerAlphanumeric(first),
            isLowerAlphanumeric(last), component.allSatisfy({ isLowerAlphanumeric($0) || isTagPunctuation($0) })
        else { return false }
        return component.split(whereSeparator: isLowerAlphanumeric).allSatisfy { separator in
            separator.elementsEqual(".".utf8) || separator.elementsEqual("_".utf8) || separator.elementsEqual("__".utf8)
                || separator.allSatisfy { $0 == UInt8(ascii: "-") }
        }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isUpper(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    /// `_`, `.` or `-`.
    private static func isTagPunctuation(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    /// White space or a control character; an ASCII one is told without looking up its properties.
    private static func isSpaceOrControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value <= 0x20 || scalar.value == 0x7F }
        return scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
    }

    private static func nameProblem(_ name: Substring) -> String? {
        guard !name.isEmpty else { return "the repository name before the tag or digest is empty" }
        guard name.count <= maxNameLength else {
            return "the repository name is longer than \(maxNameLength) characters"
        }
        var components = name.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, isRegistryHost(components[0]) {
            if let problem = hostProblem(components.removeFirst()) { return problem }
        }
        for component in components {
            if let problem = pathComponentProblem(component) { return problem }
        }
        return nil
    }

    private static func isRegistryHost(_ component: Substring) -> Bool {
        component.contains(".") || component.contains(":") || component == "localhost"
            || component.contains(where: \.isUppercase)
    }

    /// `host[:port]`: DNS labels separated by dots, or an IPv6 address in brackets.
    private static func hostProblem(_ host: Substring) -> String? {
        var name = host
        if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
            let address = name[name.index(after: name.startIndex)..<close]
            guard !address.isEmpty, address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return "registry host '\(host)' has an invalid IPv6 address"
            }
            name = name[name.index(after: close)...]
            guard name.isEmpty || name.hasPrefix(":") else { return "registry host '\(host)' is malformed" }
            return name.isEmpty ? nil : portProblem(name.dropFirst(), host: host)
        }
        if let colon = name.firstIndex(of: ":") {
            if let problem = portProblem(name[name.index(after: colon)...], host: host) { return problem }
            name = name[..<colon]
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = labels.allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            return first.isASCIIAlphanumeric && last.isASCIIAlphanumeric
                && label.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" }
        }
        return valid
            ? nil
            : "registry host '\(host)' must be names of letters, digits and '-' separated by '.', with an optional :PORT"
    }

    private static func portProblem(_ port: Substring, host: Substring) -> String? {
        guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return "registry host '\(host)' has a port that is not a number"
        }
        return nil
    }

    /// `[a-z0-9]+` runs joined by `.`, `_`, `__` or any number of `-`.
    private static func pathComponentProblem(_ component: Substring) -> String? {
        guard !component.isEmpty else { return "the repository path has an empty component (a '/' too many)" }
        // Made only for an error.
        let rule = {
            "the repository path component '\(component)' must be lowercase letters and digits, "
                + "joined by '.', '_', '__' or dashes"
        }
        guard component.allSatisfy({ $0.isASCIIAlphanumeric || "._-".contains($0) }) else {
            // `$NAME` is not substituted (only `${NAME}` is), so it reaches here as written.
            return component.contains("$") ? rule() + " (only ${NAME} is substituted, not $NAME)" : rule()
        }
        if component.contains(where: \.isUppercase) {
            return "the repository path must be lowercase ('\(component)' is not)"
        }
        guard let first = component.first, let last = component.last,
            first.isASCIIAlphanumeric, last.isASCIIAlphanumeric,
            component.split(whereSeparator: \.isASCIIAlphanumeric).allSatisfy({ isSeparator(String($0)) })
        else { return rule() }
        return nil
    }

    private static func isSeparator(_ text: String) -> Bool {
        text == "." || text == "_" || text == "__" || (!text.isEmpty && text.allSatisfy { $0 == "-" })
    }

    /// Up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.
    private static func tagProblem(_ tag: Substring) -> String? {
        let allowed = tag.allSatisfy { $0.isASCIIAlphanumeric || "_.-".contains($0) }
        guard let first = tag.first, first != ".", first != "-", allowed, tag.count <= 128 else {
            return "the tag '\(tag)' must be 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"
        }
        return nil
    }

    /// `ALGORITHM:HEX`, such as `sha256:` and 64 hex digits (at least 32).
    private static func digestProblem(_ digest: Substring) -> String? {
        let rule = "the digest '\(digest)' must be ALGORITHM:HEX, such as sha256: and at least 32 hex digits"
        guard let colon = digest.firstIndex(of: ":") else { return rule }
        let algorithm = digest[..<colon]
        let hex = digest[digest.index(after: colon)...]
        let components = algorithm.split(omittingEmptySubsequences: false) { "+._-".contains($0) }
        let algorithmValid = components.allSatisfy { component in
            guard let first = component.first, first.isASCII, first.isLetter else { return false }
            return component.allSatisfy(\.isASCIIAlphanumeric)
        }
        guard algorithmValid, hex.count >= 32, hex.allSatisfy(\.isHexDigit) else { return rule }
        return nil
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        guard scalar != " " else { return "a space" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "the character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension Character {
    /// `A`-`Z`, `a`-`z` or `0`-`9`, told from the ASCII value without Unicode property look-ups.
    fileprivate var isASCIIAlphanumeric: Bool {
        guard isASCII, let value = asciiValue else { return false }
        return (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39)
    }
}
