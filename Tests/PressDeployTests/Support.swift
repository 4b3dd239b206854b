import Foundation
import PressTestSupport
import Testing
@testable import PressDeploy
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs the real `qpress` binary, as CI does.
struct QPressRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var all: String { stdout + stderr }
}

enum QPress {
    static let binary = TemporarySite.repositoryRoot.appendingPathComponent(".build/debug/qpress").path

    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["QPRESS_THEME"] = TemporarySite.defaultTheme.path
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> RunningTool {
        try RunningTool(binary, arguments, environment: environment(extra))
    }

    static func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> QPressRun {
        let result = try await start(arguments, environment: extra).wait()
        return QPressRun(status: result.status, stdout: result.output, stderr: result.errorOutput)
    }
}

/// A site whose `site.yml` names one deploy target.
func deploySite(url: String, keep: Int = 5, files: [String: String]) throws -> TemporarySite {
    var all = files
    all["Content/site.yml"] = """
    title: 测试协会
    base_url: https://quality.example.org/
    deploy:
      targets:
        - name: production
          url: "\(url)"
          keep: \(keep)
    """
    return try TemporarySite(all)
}

/// A fresh temporary folder, removed by `remove()`.
struct TemporaryFolder: Sendable {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-deploy-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Published files of a folder with their contents, dotfiles left out.
func contents(of folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let prefix = folder.resolvingSymlinksInPath().path + "/"
    guard let enumerator = FileManager.default.enumerator(at: folder.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
    for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        let path = String(url.resolvingSymlinksInPath().path.dropFirst(prefix.count))
        if Manifest.isPublished(path) { files[path] = try Data(contentsOf: url) }
    }
    return files
}

func linkCount(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_nlink) : 0
}

// MARK: Loopback servers

enum Loopback {
    /// A port that was free a moment ago on 127.0.0.1.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 ? getsockname(fd, socketAddress, &length) : -1
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Waits until a server accepts connections on `port`, or fails the test with its output.
    static func waitFor(_ port: Int, server: RunningTool, name: String) async throws {
        for _ in 0..<200 {
            if accepts(port) { return }
            if !server.isRunning {
                let result = await server.wait()
                throw ServerError("\(name) exited with \(result.status): \(result.errorOutput)\(result.output)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError("\(name) did not accept connections on 127.0.0.1:\(port) within 10 s")
    }

    /// GET over HTTP from a loopback server.
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String, contentType: String?) {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(encoded)"))
        var request = URLRequest(url: url)
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"))
    }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A server process started by a test; `stop()` ends it (every test stops its servers).
struct TestServer: Sendable {
    let tool: RunningTool
    let port: Int

    func stop() async {
        tool.signal(SIGTERM)
        _ = await tool.wait()
    }
}

/// Debian's OpenSSH server on a loopback port, with throw-away host and user keys, run as root.
struct SSHServer: Sendable {
    let server: TestServer
    /// The user's private key, as CI would hold it in a secret.
    let userKey: String
    /// A `known_hosts` line for the server.
    let knownHosts: String
    var port: Int { server.port }

    static func start(in folder: URL) async throws -> SSHServer {
        // sshd insists on its privilege separation folder (Debian's init script creates it).
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let hostKey = folder.appendingPathComponent("host_ed25519").path
        let userKey = folder.appendingPathComponent("user_ed25519").path
        for (file, comment) in [(hostKey, "qpress-test-host"), (userKey, "qpress-test-user")] {
            let keygen = try await RunningTool.run("ssh-keygen", ["-q", "-N", "", "-t", "ed25519", "-C", comment, "-f", file])
            guard keygen.succeeded else { throw ServerError("ssh-keygen failed: \(keygen.errorOutput)") }
        }
        let authorized = folder.appendingPathComponent("authorized_keys")
        try FileManager.default.copyItem(atPath: userKey + ".pub", toPath: authorized.path)
        let port = Loopback.freePort()
        let config = folder.appendingPathComponent("sshd_config")
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(hostKey)
        AuthorizedKeysFile \(authorized.path)
        PidFile \(folder.appendingPathComponent("sshd.pid").path)
        StrictModes no
        UsePAM no
        PermitRootLogin prohibit-password
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        LogLevel ERROR

        """.write(to: config, atomically: true, encoding: .utf8)
        // sshd closes every inherited descriptor on start, including the socket through which Foundation's
        // Process learns that a child ended; Foundation would then block in waitpid() until sshd exits and
        // reap no other child meanwhile. A shell in between keeps that socket open and forwards SIGTERM.
        let sshd = try RunningTool.locate("sshd")
        let tool = try RunningTool("sh", ["-c", "trap 'kill $child; wait $child; exit 0' TERM; \"$0\" \"$@\" & child=$!; wait $child",
                                          sshd, "-D", "-e", "-f", config.path])
        try await Loopback.waitFor(port, server: tool, name: "sshd")
        let hostPublic = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        return SSHServer(server: TestServer(tool: tool, port: port),
                         userKey: try String(contentsOfFile: userKey, encoding: .utf8),
                         knownHosts: "[127.0.0.1]:\(port) \(hostPublic)")
    }

    func stop() async { await server.stop() }
}

/// `rclone serve webdav` on a loopback port, with a user and password, serving `folder`.
/// With `--vfs-cache-mode writes` an upload appears only when complete, as with nginx's or
/// Apache's WebDAV modules.
struct WebDAVServer: Sendable {
    let server: TestServer
    static let user = "qpress"
    static let password = "dav-Passw0rd-for-tests"
    var port: Int { server.port }
    var url: String { "webdav://127.0.0.1:\(port)/" }

    static func start(serving folder: URL, cache: URL) async throws -> WebDAVServer {
        let port = Loopback.freePort()
        let tool = try RunningTool("rclone", [
            "serve", "webdav", folder.path, "--addr", "127.0.0.1:\(port)", "--user", user, "--pass", password,
            "--vfs-cache-mode", "writes", "--vfs-write-back", "0s", "--cache-dir", cache.path, "--log-level", "ERROR",
        ])
        try await Loopback.waitFor(port, server: tool, name: "rclone serve webdav")
        return WebDAVServer(server: TestServer(tool: tool, port: port))
    }

    /// The environment a deploy gets: rclone wants the password obscured.
    static func environment(password: String = password) async throws -> [String: String] {
        let obscured = try await RunningTool.run("rclone", ["obscure", password]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        return ["RCLONE_WEBDAV_USER": user, "RCLONE_WEBDAV_PASS": obscured]
    }

    func stop() async { await server.stop() }
}

/// Debian's nginx on a loopback port, serving `root` (a `current` symlink).
struct NginxServer: Sendable {
    let server: TestServer
    var port: Int { server.port }

    static func start(root: String, prefix: URL) async throws -> NginxServer {
        let port = Loopback.freePort()
        let temp = prefix.appendingPathComponent("temp")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let config = prefix.appendingPathComponent("nginx.conf")
        let p = prefix.path
        try """
        user root;
        worker_processes 1;
        pid \(p)/nginx.pid;
        error_log \(p)/error.log warn;
        events { worker_connections 64; }
        http {
            include /etc/nginx/mime.types;
            charset utf-8;
            charset_types text/css application/javascript application/xml application/atom+xml;
            access_log off;
            client_body_temp_path \(p)/temp/body;
            proxy_temp_path \(p)/temp/proxy;
            fastcgi_temp_path \(p)/temp/fastcgi;
            uwsgi_temp_path \(p)/temp/uwsgi;
            scgi_temp_path \(p)/temp/scgi;
            server {
                listen 127.0.0.1:\(port);
                root "\(root)";
                index index.html;
            }
        }

        """.write(to: config, atomically: true, encoding: .utf8)
        let tool = try RunningTool("nginx", ["-c", config.path, "-p", p + "/", "-e", "\(p)/error.log", "-g", "daemon off;"])
        try await Loopback.waitFor(port, server: tool, name: "nginx")
        return NginxServer(server: TestServer(tool: tool, port: port))
    }

    func get(_ path: String) async throws -> (status: Int, body: String, contentType: String?) {
        try await Loopback.get(port, path)
    }

    func stop() async { await server.stop() }
}
