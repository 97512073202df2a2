import Diagnostics
import Testing
import YAMLDocument

@Suite("Loading documents")
struct LoaderTests {
    func at(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: "test.yaml", line: line, column: column)
    }

    @Test("Every node carries the file, line and column of its start")
    func positions() throws {
        let root = try load("name: web\nports:\n  - 80\n  - &p 443\nenv: {A: 'x'}\n")
        #expect(root.location == at(1, 1))
        guard case .mapping(let pairs) = root.content else { throw Diagnostic.error("not a mapping") }
        #expect(pairs.map(\.key.location) == [at(1, 1), at(2, 1), at(5, 1)])
        #expect(pairs[0].value.location == at(1, 7))
        guard case .sequence(let ports) = pairs[1].value.content else { throw Diagnostic.error("not a sequence") }
        #expect(pairs[1].value.location == at(3, 3))
        #expect(ports.map(\.location) == [at(3, 5), at(4, 5)])
        guard case .mapping(let env) = pairs[2].value.content else { throw Diagnostic.error("not a mapping") }
        #expect(pairs[2].value.location == at(5, 6))
        #expect(env[0].value.location == at(5, 10))
    }

    @Test("Columns count characters, not bytes")
    func unicodeColumns() throws {
        let node = try value(of: "ключ", in: "ключ: значение\n")
        #expect(node.location == at(1, 7))
        let error = try #require(throws: Diagnostic.self) { try YAMLLoader.load("ключ: [a\nб: c", file: "test.yaml") }
        #expect(error.location?.line == 2)
    }

    @Test("Scalars keep their style and text after folding and escapes")
    func styles() throws {
        let root = try load(
            "- plain\n- 'single ''q'''\n- \"double\\tq\"\n- |\n  literal\n  text\n- >\n  folded\n  text\n")
        guard case .sequence(let items) = root.content else { throw Diagnostic.error("not a sequence") }
        let scalars: [YAMLScalar] = items.compactMap {
            if case .scalar(let scalar) = $0.content { scalar } else { nil }
        }
        #expect(scalars.map(\.style) == [.plain, .singleQuoted, .doubleQuoted, .literal, .folded])
        #expect(scalars.map(\.text) == ["plain", "single 'q'", "double\tq", "literal\ntext\n", "folded text\n"])
    }

    @Test("Tags are kept resolved: !!str in full, local tags as written")
    func tags() throws {
        let root = try load("%TAG !e! tag:example.com,2000:\n---\n[!!str a, !custom b, !e!thing c, d]")
        guard case .sequence(let items) = root.content else { throw Diagnostic.error("not a sequence") }
        #expect(items.map(\.tag) == ["tag:yaml.org,2002:str", "!custom", "tag:example.com,2000:thing", nil])
    }

    @Test("An alias is a copy of its anchored node")
    func aliases() throws {
        let root = try load("base: &b {image: nginx}\nweb: *b\n")
        #expect(
            try root.json()
                == .object([
                    ("base", .object([("image", .string("nginx"))])), ("web", .object([("image", .string("nginx"))])),
                ]))
    }

    @Test("Merge keys bring in mappings; explicit keys win, and earlier merged mappings over later ones")
    func mergeKeys() throws {
        let text = """
            a: &a {image: nginx, port: 80}
            b: &b {image: httpd, user: www}
            one:
              <<: *a
              port: 8080
            many:
              name: web
              <<: [*a, *b]
              image: caddy
            """
        let root = try load(text)
        let one = try value(of: "one", in: text).json()
        #expect(one == .object([("image", .string("nginx")), ("port", .int(8080))]))
        let many = try value(of: "many", in: text).json()
        #expect(
            many
                == .object([
                    ("name", .string("web")), ("port", .int(80)), ("user", .string("www")), ("image", .string("caddy")),
                ]))
        _ = root
        #expect(try load("'<<': x").json() == .object([("<<", .string("x"))]))
        #expect(throws: Diagnostic.self) { try load("<<: [x]") }
    }

    @Test("A duplicate key names both positions")
    func duplicateKeys() throws {
        let error = try #require(throws: Diagnostic.self) {
            try YAMLLoader.load("a: 1\nb: 2\n'a': 3\n", file: "test.yaml")
        }
        #expect(error.location == at(3, 1))
        #expect(error.notes.map(\.location) == [at(1, 1)])
        #expect(throws: Diagnostic.self) { try load("{1: a, 0x1: b}") }
        #expect(throws: Diagnostic.self) { try load("{~: a, null: b}") }
        #expect(try load("{1: a, '1': b}").json() == .object([("1", .string("a")), ("1", .string("b"))]))
    }

    @Test("Every document of a stream comes back; an empty one is nil")
    func streams() throws {
        let documents = try YAMLLoader.load("a: 1\n---\n---\n# nothing\n...\n--- b\n", file: "test.yaml")
        #expect(documents.count == 4)
        #expect(try documents[0]?.json() == .object([("a", .int(1))]))
        #expect(documents[1] == nil)
        #expect(documents[2] == nil)
        #expect(try documents[3]?.json() == .string("b"))
        #expect(try YAMLLoader.load("", file: "test.yaml").isEmpty)
        #expect(try YAMLLoader.load("# only a comment\n", file: "test.yaml").isEmpty)
        #expect(try YAMLLoader.load("--- ''\n", file: "test.yaml").first??.json() == .string(""))
    }

    @Test("Anchors belong to their document")
    func anchorsPerDocument() throws {
        #expect(throws: Diagnostic.self) { try YAMLLoader.load("&a x\n--- *a\n", file: "test.yaml") }
    }

    @Test("libyaml's problem and context texts are kept in the message")
    func libyamlTexts() throws {
        let error = try #require(throws: Diagnostic.self) { try YAMLLoader.load("a: [1, 2\nb: 3\n", file: "test.yaml") }
        #expect(error.message == "did not find expected ',' or ']' while parsing a flow sequence")
        #expect(error.notes.first?.message == "while parsing a flow sequence that starts here")
        #expect(error.notes.first?.location == at(1, 4))
    }

    @Test("libyaml's events can be traced in the test suite's notation")
    func eventTrace() {
        let trace = YAMLLoader.eventTrace("--- &a !t [x, 'y']\n...\n", file: "test.yaml")
        #expect(
            trace.events == ["+STR", "+DOC ---", "+SEQ [] &a <!t>", "=VAL :x", "=VAL 'y", "-SEQ", "-DOC ...", "-STR"])
        #expect(trace.error == nil)
    }
}
