import ContainerEngine
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import DockerAPI

@Suite("sdk engine wire formats")
struct SDKWireFormatTests {
    @Test("the build context is a tar archive that tar itself reads back")
    func writesReadableTar() async throws {
        var archive = TarArchive()
        let dockerfile = "FROM scratch\n" + String(repeating: "# padding past one block\n", count: 40)
        archive.appendFile(named: "Dockerfile", contents: Array(dockerfile.utf8))
        archive.appendFile(named: "empty", contents: [])
        let bytes = archive.finished
        #expect(bytes.count % 512 == 0)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swerex-sdk-tar-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("context.tar")
        try Data(bytes).write(to: file)
        let tar = try await ChildRun.run("/bin/tar", ["-xf", file.path, "-C", folder.path])
        #expect(tar.status == 0, "\(tar.stderr)")
        let extracted = try String(contentsOf: folder.appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(extracted == dockerfile)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("empty").path))
    }

    @Test("framed logs split into stdout and stderr; an unframed body is all stdout")
    func splitsLogFrames() {
        func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
            let payload = Array(text.utf8)
            let length = UInt32(payload.count)
            return [stream, 0, 0, 0] + withUnsafeBytes(of: length.bigEndian, Array.init) + payload
        }
        let body = frame(1, "out1\n") + frame(2, "err1\n") + frame(1, "out2\n") + frame(1, "")
        let (stdout, stderr) = LogFrames.split(body)
        #expect(String(decoding: stdout, as: UTF8.self) == "out1\nout2\n")
        #expect(String(decoding: stderr, as: UTF8.self) == "err1\n")
        let raw = LogFrames.split(Array("plain tty output\n".utf8))
        #expect(String(decoding: raw.stdout, as: UTF8.self) == "plain tty output\n")
        #expect(LogFrames.split([]).stdout.isEmpty)
    }

    @Test("a progress stream split anywhere gives the same events, the error and the image id")
    func readsProgressAcrossChunks() {
        let text = """
            {"status":"Pulling from library/x","id":"latest"}\r
            {"status":"Downloading","progressDetail":{"current":10,"total":100},"progress":"[=>  ]","id":"abc"}\r
            {"stream":"Step 1/2 : FROM x\\n"}\r
            {"stream":"\\n"}\r
            {"aux":{"ID":"sha256:0123"}}\r
            {"errorDetail":{"message":"boom"},"error":"boom"}\r
            {"stream":"Successfully built 0123abcd\\n"}
            """
        let bytes = Array(text.utf8)
        for chunkSize in [1, 7, 64, bytes.count] {
            let events = Mutex<[ProgressEvent]>([])
            let stream = ProgressStream(kind: .pull) { event in events.withLock { $0.append(event) } }
            var offset = 0
            while offset < bytes.count {
                stream.receive(Array(bytes[offset..<min(offset + chunkSize, bytes.count)]))
                offset += chunkSize
            }
            let outcome = stream.finish()
            let seen = events.withLock { $0 }
            #expect(
                seen.map(\.message) == [
                    "Pulling from library/x", "Downloading", "Step 1/2 : FROM x", "Successfully built 0123abcd",
                ])
            #expect(seen[1] == ProgressEvent(kind: .pull, id: "abc", message: "Downloading", current: 10, total: 100))
            #expect(outcome.error == "boom")
            #expect(outcome.imageID == "sha256:0123")
            #expect(outcome.builtShortID == "0123abcd")
            #expect(outcome.eventCount == 4)
        }
    }

    @Test("the create request carries the spec, the published port and the docker_args fields")
    func buildsCreateRequest() throws {
        let spec = ContainerSpec(
            name: "box", image: "img:1", command: ["/bin/sh", "-c", "serve"], environment: ["B": "2", "A": "1"],
            labels: ["owner": "runner", "shared": "runner"], publish: PortPublication(), platform: "linux/amd64",
            autoRemove: true,
            runArguments: [
                "-e", "FROM_ARGS=1", "-e", "SWEREX_SDK_TEST_HOME", "-e", "SWEREX_SDK_TEST_UNSET", "-l", "shared=args",
                "-v", "/anon", "-v", "/src:/dst:ro", "--gpus", "all", "--mount", "type=tmpfs,target=/t,tmpfs-size=1k",
            ])
        let request = try ContainerCreateRequest(spec, processEnvironment: ["SWEREX_SDK_TEST_HOME": "/home/x"])
        #expect(request.query.map { "\($0.0)=\($0.1 ?? "-")" } == ["name=box", "platform=linux/amd64"])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try request.body().encoded)) as? [String: Any])
        #expect(json["Image"] as? String == "img:1")
        #expect(json["Cmd"] as? [String] == ["/bin/sh", "-c", "serve"])
        #expect(json["Env"] as? [String] == ["FROM_ARGS=1", "SWEREX_SDK_TEST_HOME=/home/x", "A=1", "B=2"])
        #expect(json["Labels"] as? [String: String] == ["owner": "runner", "shared": "runner"])
        #expect((json["ExposedPorts"] as? [String: Any])?.keys.sorted() == ["8000/tcp"])
        #expect((json["Volumes"] as? [String: Any])?.keys.sorted() == ["/anon"])
        let host = try #require(json["HostConfig"] as? [String: Any])
        let bindings = (host["PortBindings"] as? [String: [[String: String]]])?["8000/tcp"]
        #expect(bindings == [["HostIp": "", "HostPort": ""]])
        #expect(host["AutoRemove"] as? Bool == true)
        #expect(host["Binds"] as? [String] == ["/src:/dst:ro"])
        let device = (host["DeviceRequests"] as? [[String: Any]])?.first
        #expect(device?["Count"] as? Int == -1)
        #expect(device?["Capabilities"] as? [[String]] == [["gpu"]])
        let mount = (host["Mounts"] as? [[String: Any]])?.first
        #expect(mount?["Type"] as? String == "tmpfs")
        #expect((mount?["TmpfsOptions"] as? [String: Any])?["SizeBytes"] as? Int == 1024)
        #expect(host["Privileged"] == nil)
    }

    @Test("a chosen host port and address go into the binding as strings")
    func bindsChosenPort() throws {
        let spec = ContainerSpec(
            name: "box", image: "img", command: [], publish: PortPublication(hostPort: 8123, hostIP: "127.0.0.1"))
        let body = try ContainerCreateRequest(spec, processEnvironment: [:]).body().encodedString
        #expect(body.contains(#""PortBindings":{"8000/tcp":[{"HostIp":"127.0.0.1","HostPort":"8123"}]}"#))
        #expect(!body.contains("AutoRemove"))
        #expect(!body.contains("Cmd"))
    }

    @Test("unsupported docker_args are invalidArgument naming the element")
    func rejectsArgumentsBeforeSending() {
        let spec = ContainerSpec(name: "box", image: "img", command: [], runArguments: ["--pid", "host"])
        let error = #expect(throws: EngineError.self) { try ContainerCreateRequest(spec, processEnvironment: [:]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.hint == "docker_args[0] is '--pid'")
    }

    @Test("image references split into name and tag as the pull call wants them")
    func splitsReferences() {
        #expect(DockerAPIEngine.split("busybox") == ("busybox", "latest"))
        #expect(DockerAPIEngine.split("busybox:1.36") == ("busybox", "1.36"))
        #expect(DockerAPIEngine.split("localhost:5000/team/app") == ("localhost:5000/team/app", "latest"))
        #expect(DockerAPIEngine.split("localhost:5000/team/app:v2") == ("localhost:5000/team/app", "v2"))
        #expect(DockerAPIEngine.split("app@sha256:abcd") == ("app@sha256:abcd", nil))
    }

    @Test("API versions compare by number, so 1.9 is older than 1.41")
    func comparesVersions() {
        #expect(APIVersion("1.9")! < APIVersion("1.41")!)
        #expect(min(APIVersion("1.47")!, DockerConnection.maximumAPIVersion).description == "1.45")
        #expect(APIVersion("one.two") == nil)
    }

    @Test("query strings percent-encode JSON filters and skip absent values")
    func encodesQueries() {
        let filters = JSONValue.object(["label": .strings(["a=b", "c"])]).encodedString
        #expect(filters == #"{"label":["a=b","c"]}"#)
        #expect(
            QueryString.path("/containers/json", [("all", "1"), ("filters", filters), ("none", nil)])
                == "/containers/json?all=1&filters=%7B%22label%22%3A%5B%22a%3Db%22%2C%22c%22%5D%7D")
        #expect(QueryString.segment("localhost:5000/app:v1") == "localhost:5000/app:v1")
    }
}
