import Foundation

/// Without libFuzzer: runs every file named (or inside a directory named) through the harness,
/// to replay a crash or a corpus in an ordinary build.
enum CorpusReplay {
    static func run(_ paths: [String]) -> Int32 {
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    return 1
                }
                WireFuzzHarness.run([UInt8](data))
                count += 1
            }
        }
        print("replayed \(count) inputs without a failure")
        return 0
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
