import ArgumentParser

@main
struct FacematchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facematch",
        abstract: "Self-hosted face match 1:1 service.",
        subcommands: [
            EmbedCommand.self,
            EvalEmbedCommand.self,
            CompareCommand.self,
            BenchCommand.self,
            BenchModel2Command.self,
            BenchStoreCommand.self,
            BenchClusterCommand.self,
            BenchSignCommand.self,
            ServeCommand.self,
            EnrollCommand.self,
            VerifyCommand.self,
            IdentifyCommand.self,
            DeleteCommand.self,
            HealthCommand.self,
            BenchRPCCommand.self,
            BenchTLSCommand.self,
            StoreCommand.self,
            RotateMasterKeyCommand.self,
            PublicKeyCommand.self,
        ]
    )
}
