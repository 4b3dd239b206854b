import PressCommands
import Testing

@Suite struct CommandNameTests {
    /// ArgumentParser derives an unnamed command's name from its type's name (`String(describing:)`), a search
    /// of every conformance record in the binary that cost a tiny site's build 4% of its time: each verb names
    /// itself, the name it had, and the command line stays the same.
    @Test func everySubcommandNamesItselfAsItsTypeWouldBeNamed() {
        let subcommands = QPress.configuration.subcommands
        #expect(subcommands.count == 8)
        for command in subcommands {
            #expect(command.configuration.commandName == String(describing: command).lowercased())
        }
    }

    @Test func theVerbsStillRun() async {
        #expect(await QPress.run(arguments: ["help", "build"]) == 0)
        #expect(await QPress.run(arguments: ["cite", "--help"]) == 0)
        #expect(await QPress.run(arguments: ["bulid"]) == 2)
    }
}
