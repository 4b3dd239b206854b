import Foundation
import PressCore

/// Where a `releases` target lives: a server reached with `ssh` (and `rsync -e ssh`), or a local folder.
/// Both run the same small `sh` scripts, so a `file://` target behaves exactly like a server.
///
/// SSH credentials come from the environment only:
/// - `QPRESS_SSH_KEY`: the private key itself (as CI secrets hold it) or the path of a key file;
///   unset: ssh-agent and `~/.ssh` as usual.
/// - `QPRESS_SSH_KNOWN_HOSTS`: the server's `known_hosts` lines (`ssh-keyscan -p PORT HOST`) or the
///   path of such a file; unset: `~/.ssh/known_hosts`. Host keys are always checked.
struct ReleaseHost: Sendable {
    enum Kind: Sendable {
        case ssh(destination: String, options: [String])
        case local
    }

    let kind: Kind
    /// The target folder as the remote shell sees it: absolute, or relative to the SSH user's home.
    let root: String
    let session: DeploySession
    let environment: [String: String]

    init(location: DeployLocation, session: DeploySession, environment: [String: String]) async throws(DeployError) {
        self.session = session
        self.environment = environment
        switch location {
        case .local(let path):
            kind = .local
            root = path
        case .ssh(let user, let host, let port, let path):
            root = path
            let destination = user.map { "\($0)@\(host)" } ?? host
            kind = .ssh(destination: destination, options: try await Self.sshOptions(port: port, session: session, environment: environment))
        default:
            throw DeployError("the releases strategy needs an ssh:// or file:// target, not \(location)")
        }
    }

    static func sshOptions(port: Int?, session: DeploySession, environment: [String: String]) async throws(DeployError) -> [String] {
        var options = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "-o", "ServerAliveInterval=15",
                       "-o", "ServerAliveCountMax=4", "-o", "LogLevel=ERROR"]
        if let port { options += ["-p", String(port)] }
        if let key = environment["QPRESS_SSH_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty {
            if key.contains("PRIVATE KEY") {
                // The key itself never touches the disk: an agent of this deploy holds it.
                options += try await session.agent(holding: key, environment: environment)
            } else {
                let file = try secretFile(key, inline: false, name: "ssh-key", session: session,
                                          problem: "QPRESS_SSH_KEY is neither a private key nor the path of a readable key file")
                options += ["-i", file, "-o", "IdentitiesOnly=yes"]
            }
        }
        if let known = environment["QPRESS_SSH_KNOWN_HOSTS"]?.trimmingCharacters(in: .whitespacesAndNewlines), !known.isEmpty {
            let file = try secretFile(known, inline: known.contains(" "), name: "known_hosts", session: session,
                                      problem: "QPRESS_SSH_KNOWN_HOSTS is neither known_hosts lines nor the path of a readable file")
            options += ["-o", "UserKnownHostsFile=\(sshConfigQuote(file))", "-o", "GlobalKnownHostsFile=/dev/null"]
        }
        options += ["-o", "StrictHostKeyChecking=yes"]
        return options
    }

    /// ssh splits a `-o` value at spaces (`UserKnownHostsFile` takes several files): a `TMPDIR` with a
    /// space would otherwise name two files. Double quotes keep it whole; `\` escapes `"` and `\`.
    static func sshConfigQuote(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A setting given inline is written to a private file of the session; otherwise it must be a readable file's path.
    private static func secretFile(_ value: String, inline: Bool, name: String, session: DeploySession,
                                   problem: String) throws(DeployError) -> String {
        if inline { return try session.write(Data((value + "\n").utf8), name: name).path }
        guard FileManager.default.isReadableFile(atPath: value) else { throw DeployError(problem) }
        return value
    }

    /// Runs an `sh` script on the target (read from standard input, so nothing needs quoting for ssh).
    func shell(_ script: String, step: String, cleanup: Bool = false) async throws(DeployError) -> String {
        let input = Data(("set -u\n" + script + "\n").utf8)
        switch kind {
        case .ssh(let destination, let options):
            return try await session.run("ssh", options + ["--", destination, "sh -s"], environment: environment,
                                         input: input, step: step, cleanup: cleanup).output
        case .local:
            return try await session.run("sh", ["-s"], environment: environment, input: input, step: step, cleanup: cleanup).output
        }
    }

    /// `rsync OPTIONS --from0 … OUTPUT/ DESTINATION/`: the file list comes in `arguments` (`--files-from`).
    /// The folders in `creating` are made first (on a server in the same connection, through `--rsync-path`).
    func rsync(_ arguments: [String], to path: String, from output: URL, creating folders: [String],
               step: String) async throws(DeployError) -> ToolResult {
        var all = ["--from0", "--perms", "--chmod=D755,F644", "--timeout=120"] + arguments
        let destination: String
        let mkdir = (["mkdir", "-p"] + folders.map(shellQuote)).joined(separator: " ")
        switch kind {
        case .ssh(let host, let options):
            all += ["-e", (["ssh"] + options).map(rsyncQuote).joined(separator: " ")]
            if !folders.isEmpty { all.append("--rsync-path=\(mkdir) && rsync") }
            destination = "\(host):\(path)/"
        case .local:
            if !folders.isEmpty { _ = try await shell(mkdir, step: step) }
            destination = path + "/"
        }
        let source = output.path.hasSuffix("/") ? output.path : output.path + "/"
        return try await session.run("rsync", all + [source, destination], environment: environment, step: step)
    }

    /// Copies the folder `path` on the target into `folder`: regular files only, links not followed.
    func download(_ path: String, into folder: URL, step: String) async throws(DeployError) {
        var all = ["--recursive", "--timeout=120"]
        let source: String
        switch kind {
        case .ssh(let host, let options):
            all += ["-e", (["ssh"] + options).map(rsyncQuote).joined(separator: " ")]
            source = "\(host):\(path)/"
        case .local:
            source = path + "/"
        }
        _ = try await session.run("rsync", all + [source, folder.path + "/"], environment: environment, step: step)
    }

    /// rsync splits its `-e` command at spaces and honours quotes.
    private func rsyncQuote(_ word: String) -> String {
        word.contains(where: { $0 == " " || $0 == "'" || $0 == "\"" })
            ? "'" + word.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
            : word
    }
}
