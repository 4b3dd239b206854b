import Foundation
import PressTestSupport
import Testing
@testable import PressDeploy

/// Ctrl-C (SIGINT) or SIGTERM during a deploy leaves nothing behind: no tool, no key on disk.
@Suite struct InterruptTests {
    /// Every process below `pid`, children first.
    static func descendants(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let children = tasks.flatMap { task -> [Int32] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }
        return children + children.flatMap(descendants)
    }

    static func command(_ pid: Int32) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
    }

    /// A server that accepts connections and never says a word: ssh waits for its greeting.
    static func silentServer(port: Int) throws -> RunningTool {
        try RunningTool("python3", ["-c", """
            import socket, time
            server = socket.socket()
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", \(port)))
            server.listen(8)
            held = []
            while True:
                held.append(server.accept())
            """])
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheToolsAndRemovesTheKey(signal: Int32) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let port = Loopback.freePort()
        let server = try Self.silentServer(port: port)
        defer { server.signal(SIGKILL) }
        try await Loopback.waitFor(port, server: server, name: "silent server")
        let temporary = folder.url.appendingPathComponent("tmp 临时")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let key = folder.url.appendingPathComponent("key").path
        #expect(try await RunningTool.run("ssh-keygen", ["-q", "-N", "", "-t", "ed25519", "-f", key]).succeeded)
        let site = try deploySite(url: "ssh://root@127.0.0.1:\(port)/srv/site", files: ["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        let deploy = try QPress.start(["deploy", "--source", site.root.path], environment: [
            "TMPDIR": temporary.path, "QPRESS_SSH_KEY": try String(contentsOfFile: key, encoding: .utf8),
            "QPRESS_SSH_KNOWN_HOSTS": "[127.0.0.1]:\(port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDx0bqKcyaHcQvdVvUVLx1Fb0KRdgD52Fq2LNUYmr4uO",
        ])
        // Wait until ssh hangs on the silent server (after the build).
        var tools: [Int32] = []
        for _ in 0..<1200 where tools.isEmpty && deploy.isRunning {
            tools = Self.descendants(of: deploy.pid).filter { Self.command($0).split(separator: " ").first?.hasSuffix("/ssh") == true }
            if tools.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(!tools.isEmpty, "ssh never started")
        let all = Self.descendants(of: deploy.pid)
        let commands = all.map(Self.command)
        // The key is held by the deploy's ssh-agent, never written to disk.
        #expect(all.contains { Self.command($0).contains("ssh-agent") }, "no ssh-agent runs")
        let sessions = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("qpress-deploy-") }
        #expect(sessions.count == 1)
        for session in sessions {
            for file in try FileManager.default.contentsOfDirectory(atPath: temporary.path + "/" + session) {
                let text = (try? String(contentsOfFile: "\(temporary.path)/\(session)/\(file)", encoding: .utf8)) ?? ""
                #expect(!text.contains("PRIVATE KEY"), "the private key is on disk in \(file)")
            }
        }
        kill(deploy.pid, signal)
        let result = await deploy.wait()
        #expect(!result.signalled && result.status == 128 + signal, "\(result.status) \(result.errorOutput)")
        #expect(result.errorOutput.contains("reading the state of ssh://root@127.0.0.1:\(port)/srv/site was stopped: qpress received \(signal == SIGINT ? "SIGINT" : "SIGTERM")"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("nothing was published: the target was not changed"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("qpress-deploy-") }.isEmpty,
                "the session folder was left behind")
        let agentFolders = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("qpress-agent-") }
        let ours = agentFolders.filter { folder in commands.contains { $0.contains(folder) } }
        #expect(ours.isEmpty, "the ssh-agent's folder was left behind: \(ours)")
        for pid in all {
            #expect(!SyncTests.isAlive(pid), "\(Self.command(pid)) still runs")
        }
    }

    @Test func ctrlCDuringATransferReleasesTheLockAndRemovesTheUnfinishedRelease() async throws {
        let www = try TemporaryFolder()
        defer { www.remove() }
        let root = www.url.appendingPathComponent("site")
        let site = try deploySite(url: "file://\(root.path)", files: ["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        #expect(try await QPress.run(["deploy", "--source", site.root.path]).status == 0)
        let live = try FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("current").path)

        // An rsync that hangs, first in PATH.
        let bin = www.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("rsync")
        try "#!/bin/sh\nsleep 300\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        try site.write(TemporarySite.story(body: "## 概述\n\n改过的正文。\n"), to: "Content/stories/a.md")
        let deploy = try QPress.start(["deploy", "--source", site.root.path],
                                      environment: ["PATH": "\(bin.path):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"])
        var hanging: [Int32] = []
        for _ in 0..<1200 where hanging.isEmpty && deploy.isRunning {
            hanging = Self.descendants(of: deploy.pid).filter { Self.command($0).contains("sleep 300") || Self.command($0).contains(fake.path) }
            if hanging.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(!hanging.isEmpty, "rsync never started")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".qpress-lock").path), "the deploy holds no lock")
        let all = Self.descendants(of: deploy.pid)
        kill(deploy.pid, SIGINT)
        let result = await deploy.wait()
        #expect(!result.signalled && result.status == 130, "\(result.status) \(result.errorOutput)")
        #expect(result.errorOutput.contains("(rsync) was stopped: qpress received SIGINT\nthe live site is unchanged: current still points to \(live)\n"),
                "\(result.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".qpress-lock").path), "the lock stayed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("releases").path).count == 1,
                "the unfinished release stayed")
        for pid in all { #expect(!SyncTests.isAlive(pid), "\(Self.command(pid)) still runs") }
    }
}
