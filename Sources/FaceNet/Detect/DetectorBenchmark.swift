import Foundation

/// Times `FaceDetector.detect` (medians over repeated runs) and, when Python's dlib is installed,
/// dlib's own CNN detector on the same image in the same run, for `facematch bench`.
public enum DetectorBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public let width: Int
        public let height: Int
        public let threads: Int
        public let faces: Int
        /// Every timed run, milliseconds.
        public let samples: [Double]
        public let arenaBytes: Int
        /// dlib's median (`dlib.cnn_face_detection_model_v1(path)(image, 0)`), when it could run.
        public let dlibMilliseconds: Double?

        public var medianMilliseconds: Double { DetectorBenchmark.median(samples) }

        public var description: String {
            var line = String(format: "detect %dx%d, %d thread(s): median %.1f ms over %d runs, %d face(s), arena %.1f MB",
                              width, height, threads, medianMilliseconds, samples.count, faces, Double(arenaBytes) / 1_048_576)
            if let dlib = dlibMilliseconds {
                line += String(format: "; dlib %.0f ms, %.1fx faster", dlib, dlib / medianMilliseconds)
            } else {
                line += "; dlib reference not available"
            }
            return line
        }
    }

    /// - Parameters:
    ///   - imagePath: the same picture as a file dlib can read (for the reference run); nil skips dlib.
    public static func run(model: DetectorModel, modelPath: String?, image: RGBImage, imagePath: String?,
                           runs: Int = 20, threads: Int = NetEngine.processorCount, dlibRuns: Int = 3) throws -> Report {
        let detector = try FaceDetector(model: model, threads: threads)
        let faces = try detector.detect(image).count  // warm-up: primitives and arena
        var samples: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try detector.detect(image)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        var dlib: Double?
        if let modelPath, let imagePath {
            dlib = dlibMedianMilliseconds(modelPath: modelPath, imagePath: imagePath, runs: dlibRuns)
        }
        return Report(width: image.width, height: image.height, threads: detector.engine.threads, faces: faces,
                      samples: samples, arenaBytes: detector.arenaBytes, dlibMilliseconds: dlib)
    }

    /// Runs Python's dlib (development oracle only; nil when python3 or dlib is missing).
    public static func dlibMedianMilliseconds(modelPath: String, imagePath: String, runs: Int) -> Double? {
        let script = """
        import sys, time, dlib
        detector = dlib.cnn_face_detection_model_v1(sys.argv[1])
        image = dlib.load_rgb_image(sys.argv[2])
        detector(image, 0)
        times = []
        for _ in range(int(sys.argv[3])):
            start = time.perf_counter()
            detector(image, 0)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(times[len(times) // 2])
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, modelPath, imagePath, String(max(1, runs))]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
