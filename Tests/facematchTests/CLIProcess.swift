import Foundation
import XCTest

/// Runs the built `facematch` binary (beside the test binary in .build/<config>/) and captures
/// its standard output and exit status.
enum CLIProcess {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func binary() -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On Darwin the test binary sits inside an .xctest bundle.
        while url.path.contains(".xctest") { url.deleteLastPathComponent() }
        return url.appendingPathComponent("facematch").path
    }

    struct Result {
        let status: Int32
        let output: Data
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    static func run(_ arguments: [String]) throws -> Result {
        let path = binary()
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = repo
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: data)
    }

    static func fixture(_ name: String) -> String { repo.appendingPathComponent("Tests/Fixtures/faces/\(name)").path }
    static var models: String { repo.appendingPathComponent("models").path }
}
