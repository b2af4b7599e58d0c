import Foundation

/// Runs scripts/bench_dlib.py (Python dlib + face_recognition, when installed) on the same images
/// and returns its medians in milliseconds, keyed by stage.
public struct DlibReferenceBench: Sendable {
    struct Face {
        let png: String
        let box: [Int]
    }

    var python: String
    var script: String

    /// - Parameters:
    ///   - python: the interpreter (looked up on PATH).
    ///   - script: scripts/bench_dlib.py.
    public init(python: String, script: String) {
        self.python = python
        self.script = script
    }

    /// nil result with a reason when dlib is not importable or the script fails.
    func run(models: String, jpeg: String, faces: [Face], iterations: Int) -> (timings: [String: Double]?, note: String) {
        guard FileManager.default.fileExists(atPath: script) else { return (nil, "\(script) not found") }
        let request: [String: Any] = [
            "models": URL(fileURLWithPath: models).standardizedFileURL.path,
            "iterations": iterations, "jpeg": jpeg,
            "faces": faces.map { ["png": $0.png, "box": $0.box] as [String: Any] },
        ]
        let requestFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("facematch-bench-\(ProcessInfo.processInfo.processIdentifier).json")
        defer { try? FileManager.default.removeItem(at: requestFile) }
        do {
            try JSONSerialization.data(withJSONObject: request).write(to: requestFile)
        } catch {
            return (nil, "cannot write the request: \(error)")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, requestFile.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (nil, "cannot start \(python): \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parsed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard process.terminationStatus == 0, let parsed else {
            let reason = parsed?["error"] as? String ?? "exit status \(process.terminationStatus)"
            return (nil, "dlib reference not available (\(reason))")
        }
        var timings: [String: Double] = [:]
        for (key, value) in parsed { if let ms = value as? Double { timings[key] = ms } }
        return (timings, "dlib \(parsed["dlib_version"] as? String ?? "?") (Python), \(iterations) runs per stage")
    }
}
