// Crash-test child for the EmbeddingStore tests and scripts/store-crash-soak.sh.
// Usage: store-torture <directory> <seed>
// Forever: picks an operation, prints "I <op>" (intent), performs it, prints "K" once the store
// acknowledged it. The parent SIGKILLs this process at a random moment and checks the store.
// Operations: "A n k" append template k to subject s<n>; "R n k" replace s<n>'s templates with k;
// "D n" delete s<n>; "B n1 n2 ..." batch-enrol template 0 of several new subjects.
// The template (n, k) has vector TortureVectors.vector(n, k) and vendor_data "n:k".
import EmbeddingStore
#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered, so a line is in the pipe before the next operation starts.
func emit(_ line: String, fd: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

let args = CommandLine.arguments
guard args.count == 3, let seed = UInt64(args[2]) else {
    emit("usage: store-torture <directory> <seed>", fd: 2)
    exit(2)
}
let store: EmbeddingStore
do {
    store = try EmbeddingStore.open(directory: args[1], dimension: TortureVectors.dimension, modelID: "torture-model",
                                    options: StoreOptions(masterKey: MasterKey(bytes: TortureVectors.masterKeyBytes)!))
} catch {
    emit("open failed: \(error)", fd: 2)
    exit(1)
}
var rng = TortureVectors.SplitMix(state: seed)
let listed = (try? store.listSubjects(namespace: "crash", limit: 1_000_000)) ?? []
var nextSubject = (listed.compactMap { Int($0.dropFirst()) }.max() ?? -1) + 1
var live: [Int: Int] = [:]  // subject -> next template number
for s in listed { if let n = Int(s.dropFirst()) { live[n] = 100 } }

func enrollment(_ n: Int, _ k: Int, _ mode: EnrollMode) -> Enrollment {
    Enrollment(subject: "s\(n)", vector: TortureVectors.vector(n, k), vendorData: Array("\(n):\(k)".utf8), mode: mode)
}

while true {
    let roll = rng.next() % 100
    do {
        if roll < 45 || live.isEmpty {
            let n = nextSubject
            nextSubject += 1
            emit("I A \(n) 0")
            try store.enroll(namespace: "crash", batch: [enrollment(n, 0, .append)])
            live[n] = 1
        } else if roll < 65 {
            let n = live.keys.sorted()[Int(rng.next() % UInt64(live.count))]
            let k = live[n]!
            emit("I A \(n) \(k)")
            try store.enroll(namespace: "crash", batch: [enrollment(n, k, .append)])
            live[n] = k + 1
        } else if roll < 75 {
            let n = live.keys.sorted()[Int(rng.next() % UInt64(live.count))]
            let k = live[n]!
            emit("I R \(n) \(k)")
            try store.enroll(namespace: "crash", batch: [enrollment(n, k, .replace)])
            live[n] = k + 1
        } else if roll < 88 {
            let count = 2 + Int(rng.next() % 7)
            let ns = (0..<count).map { nextSubject + $0 }
            nextSubject += count
            emit("I B " + ns.map(String.init).joined(separator: " "))
            try store.enroll(namespace: "crash", batch: ns.map { enrollment($0, 0, .append) })
            for n in ns { live[n] = 1 }
        } else {
            let n = live.keys.sorted()[Int(rng.next() % UInt64(live.count))]
            emit("I D \(n)")
            _ = try store.delete(namespace: "crash", subject: "s\(n)")
            live[n] = nil
        }
        emit("K")
    } catch {
        emit("operation failed: \(error)", fd: 2)
        exit(1)
    }
}
