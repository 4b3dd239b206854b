import ArgumentParser
import Foundation
import PressServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it on 127.0.0.1 and rebuild and reload pages when files change.")

    @OptionGroup var site: SiteOptions

    @Option(name: .long, help: "Port to listen on (0: any free port).")
    var port: Int = 8000

    @Option(name: .long, help: ArgumentHelp("Address to listen on; 0.0.0.0 serves every network interface.", valueName: "ADDRESS"))
    var bind: String = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let server = PreviewServer(options: site.buildOptions, host: bind, port: port, log: log)
        let host = bind.contains(":") ? "[\(bind)]" : bind
        do {
            try await server.run { port in
                // Written straight to the file descriptor: scripts wait for this line.
                FileHandle.standardOutput.write(Data("serving http://\(host):\(port)/ — watching Content/ and Templates/ (Ctrl-C to stop)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("cannot serve on \(host):\(port): \(error)\n".utf8))
            throw ExitCode(ExitStatus.contentErrors)
        }
    }
}
