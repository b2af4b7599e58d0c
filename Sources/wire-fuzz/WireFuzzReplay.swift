#if !FUZZING
import Foundation

/// Without libFuzzer: replays the given corpus files through the fuzz target (for crash repros).
@main
struct WireFuzzReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            data.withUnsafeBytes { fuzzWire($0) }
        }
    }
}
#endif
