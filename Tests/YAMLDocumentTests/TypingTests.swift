import Diagnostics
import Testing
import YAMLDocument

/// Swift Testing has a `SourceLocation` too; in these tests the name means the diagnostics one.
typealias SourceLocation = Diagnostics.SourceLocation

/// The first document of `text`, which must load.
func load(_ text: String) throws -> YAMLNode {
    try #require(try YAMLLoader.load(text, file: "test.yaml").first ?? nil)
}

/// The value under `key` in the first document, a mapping.
func value(of key: String, in text: String) throws -> YAMLNode {
    guard case .mapping(let pairs) = try load(text).content else { throw Diagnostic.error("not a mapping") }
    return try #require(pairs.first { (try? $0.key.string()) == key }?.value)
}

@Suite("Typing on request")
struct TypingTests {
    static let writtenAndTyped: [(String, JSONValue)] = [
        ("NO", .string("NO")),
        ("yes", .string("yes")),
        ("on", .string("on")),
        ("0755", .int(755)),
        ("1e3", .double(1000)),
        ("24.10", .double(24.1)),
        ("2122:22", .string("2122:22")),
    ]

    @Test("YAML 1.1 look-alikes come back as written when a string is asked for", arguments: writtenAndTyped)
    func stringIsTheTextAsWritten(_ text: String, _ typed: JSONValue) throws {
        #expect(try value(of: "field", in: "field: \(text)\n").string() == text)
    }

    @Test(
        "YAML 1.1 look-alikes come back as the core schema says when a value is asked for", arguments: writtenAndTyped)
    func valueFollowsTheCoreSchema(_ text: String, _ typed: JSONValue) throws {
        let actual = try value(of: "field", in: "field: \(text)\n").value()
        #expect(actual == typed)
        if case .double = typed { #expect(actual != .int(0) && { if case .double = actual { true } else { false } }()) }
    }

    @Test("Plain scalars resolve by the core schema")
    func coreSchemaForms() throws {
        let cases: [(String, JSONValue)] = [
            ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null),
            ("true", .bool(true)), ("True", .bool(true)), ("FALSE", .bool(false)), ("tRUE", .string("tRUE")),
            ("0", .int(0)), ("-12", .int(-12)), ("+12", .int(12)), ("0o17", .int(15)), ("0x1F", .int(31)),
            ("0o8", .string("0o8")), ("0xG", .string("0xG")), ("1_000", .string("1_000")),
            ("1.5", .double(1.5)), ("-.5", .double(-0.5)), ("1.", .double(1)), ("1e-3", .double(0.001)),
            (".inf", .double(.infinity)), ("-.Inf", .double(-.infinity)), (".NaN", .double(.nan)),
            ("-.nan", .string("-.nan")), (".", .string(".")), ("e3", .string("e3")), ("1e", .string("1e")),
            ("2001-01-23", .string("2001-01-23")), ("Off", .string("Off")), ("y", .string("y")),
            ("99999999999999999999", .double(1e20)),
        ]
        for (text, expected) in cases {
            let node = try load("- \(text)\n")
            guard case .sequence(let items) = node.content else { throw Diagnostic.error("not a sequence") }
            #expect(try items[0].value() == expected, "\(text)")
        }
    }

    @Test("A quoted or block scalar is never a number, boolean or null")
    func quotedIsText() throws {
        for text in ["'12'", "\"true\"", "\"null\"", "'~'", "\"\"", "|\n  12\n"] {
            let node = try value(of: "k", in: "k: \(text)\n")
            guard case .string = try node.value() else {
                Issue.record("\(text) is not a string")
                continue
            }
            #expect(!node.isNull)
            #expect(throws: Diagnostic.self) { try node.int() }
            #expect(throws: Diagnostic.self) { try node.double() }
            #expect(throws: Diagnostic.self) { try node.bool() }
        }
    }

    @Test("Typed requests accept their core forms")
    func typedRequests() throws {
        #expect(try value(of: "k", in: "k: 0x10").int() == 16)
        #expect(try value(of: "k", in: "k: -0").int() == 0)
        #expect(try value(of: "k", in: "k: 12").double() == 12)
        #expect(try value(of: "k", in: "k: .inf").double() == .infinity)
        #expect(try value(of: "k", in: "k: True").bool() == true)
        #expect(try value(of: "k", in: "k: 0755").string() == "0755")
        #expect(try value(of: "k", in: "k: ~").isNull)
        #expect(try value(of: "k", in: "k:").isNull)
        #expect(try value(of: "k", in: "k: !!null ''").isNull)
    }

    @Test("Typed requests on the wrong text fail at the node's position")
    func typedRequestErrorsAreLocated() throws {
        let node = try value(of: "port", in: "name: web\nport: eighty\n")
        let error = try #require(throws: Diagnostic.self) { try node.int() }
        #expect(error.location == SourceLocation(file: "test.yaml", line: 2, column: 7))
        #expect(throws: Diagnostic.self) { try value(of: "k", in: "k: 1e3").int() }
        #expect(throws: Diagnostic.self) { try value(of: "k", in: "k: yes").bool() }
        #expect(throws: Diagnostic.self) { try value(of: "k", in: "k: [1]").string() }
        #expect(throws: Diagnostic.self) { try value(of: "k", in: "k: null").string() }
        #expect(throws: Diagnostic.self) { try value(of: "k", in: "k: !!str 12").int() }
    }

    @Test("Standard tags are honoured")
    func standardTags() throws {
        #expect(try load("!!str 12").value() == .string("12"))
        #expect(try load("!!int '12'").value() == .int(12))
        #expect(try load("!!float 1").value() == .double(1))
        #expect(try load("!!bool \"true\"").value() == .bool(true))
        #expect(try load("!!null ''").value() == .null)
        #expect(try load("! 12").value() == .string("12"))
        #expect(try load("!!seq [1]").value() == .array([.int(1)]))
        #expect(try load("!!map {a: 1}").value() == .object([("a", .int(1))]))
        #expect(try load("!!int '12'").int() == 12)
        for wrong in ["!!int 1.5", "!!bool yes", "!!null x", "!!seq a", "!!map [1]", "!!str [1]"] {
            #expect(throws: Diagnostic.self, "\(wrong)") { try load(wrong).value() }
        }
    }

    @Test("Other tags stay on the node; value() rejects them, json() keeps the text")
    func unknownTags() throws {
        let node = try load("!vault secret/web")
        #expect(node.tag == "!vault")
        let error = try #require(throws: Diagnostic.self) { try node.value() }
        #expect(error.message.hasPrefix("unknown tag !vault"))
        #expect(try node.json() == .string("secret/web"))
        #expect(try node.value(unknownTags: .ignore) == .string("secret/web"))
        #expect(try load("!!binary aGk=").tag == "tag:yaml.org,2002:binary")
        #expect(try load("!set {a: ~}").json() == .object([("a", .null)]))
    }

    @Test("Mapping keys that are not strings become their text in JSON")
    func nonStringKeys() throws {
        #expect(
            try load("1: a\ntrue: b\n0x1F: c").json()
                == .object([("1", .string("a")), ("true", .string("b")), ("0x1F", .string("c"))]))
        #expect(throws: Diagnostic.self) { try load("? [a]\n: b").json() }
    }

    @Test("JSON text is compact or indented, strings escaped, keys in document order")
    func jsonText() throws {
        let value = try load("b: [1, 2.5, true, ~]\na: \"x\\\"y\\n\\u0001\"\nc: {}\nd: []").json()
        #expect(value.jsonText() == #"{"b":[1,2.5,true,null],"a":"x\"y\n\u0001","c":{},"d":[]}"#)
        #expect(
            value.jsonText(indent: 2)
                == "{\n  \"b\": [\n    1,\n    2.5,\n    true,\n    null\n  ],\n  \"a\": \"x\\\"y\\n\\u0001\",\n"
                + "  \"c\": {},\n  \"d\": []\n}"
        )
        #expect(JSONValue.double(.infinity).jsonText() == "Infinity")
        #expect(JSONValue.double(1e20).jsonText() == "1e+20")
    }
}
