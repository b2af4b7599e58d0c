import Crypto
import EmbeddingStore

/// Per-template decryption on one thread, the way store open decrypts: 4096 templates of 128
/// values, five per subject, opened in order. Baseline: swift-crypto's `AES.GCM.open` (a new
/// BoringSSL context, a `SealedBox` and a `Data` per call; what opened templates before
/// `TemplateCipher`), with its own keys and additional data of the same length. New: one
/// `TemplateCipher` (OpenSSL, key schedule once per subject). Both take turns in every rep.
enum TemplateDecryptBenchmark {
    static let templates = 4096
    static let dimension = 128
    static let perSubject = 5

    /// (swift-crypto, TemplateCipher) nanoseconds per template, median over `reps`.
    static func run(reps: Int) throws -> (swiftCrypto: Double, cipher: Double) {
        let subjects = (templates + perSubject - 1) / perSubject
        let contexts = (0..<subjects).map { TemplateContext(namespace: "1M", subject: "s\($0)", modelID: "bench") }
        let dataKeys = (0..<subjects).map { _ in DataKey.random() }
        let symmetricKeys = (0..<subjects).map { _ in SymmetricKey(size: .bits256) }
        // TemplateContext's encoding: "FMTP1", then namespace, subject and model id, each with a 2-byte length.
        let aads = contexts.map { c in [UInt8](repeating: 0x5a, count: 5 + 6 + c.subject.namespace.utf8.count + c.subject.subject.utf8.count + c.modelID.utf8.count) }
        var cipherSealed: [[UInt8]] = [], swiftSealed: [[UInt8]] = []
        for t in 0..<templates {
            let v = BenchVectors.vector(t), s = t / perSubject
            cipherSealed.append(dataKeys[s].seal(v, for: contexts[s]))
            let plain = v.withUnsafeBytes { Array($0) }
            let box = try AES.GCM.seal(plain, using: symmetricKeys[s], authenticating: aads[s])
            swiftSealed.append([SealedTemplate.version] + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag))
        }
        var out = [Float](repeating: 0, count: dimension)
        var swiftTimes: [Double] = [], cipherTimes: [Double] = []
        for rep in 0...reps {
            let t0 = BenchClock.nanoseconds()
            for t in 0..<templates {
                let s = t / perSubject
                try swiftSealed[t].withUnsafeBytes { raw in
                    let box = try AES.GCM.SealedBox(combined: UnsafeRawBufferPointer(rebasing: raw[1...]))
                    let plain = try AES.GCM.open(box, using: symmetricKeys[s], authenticating: aads[s])
                    out.withUnsafeMutableBytes { o in plain.withUnsafeBytes { o.copyMemory(from: $0) } }
                }
            }
            let t1 = BenchClock.nanoseconds()
            let cipher = TemplateCipher()
            try out.withUnsafeMutableBufferPointer { o in
                for t in 0..<templates {
                    let s = t / perSubject
                    try cipherSealed[t].withUnsafeBytes { try cipher.open($0, dimension: dimension, with: dataKeys[s], for: contexts[s], into: o.baseAddress!) }
                }
            }
            let t2 = BenchClock.nanoseconds()
            guard out == BenchVectors.vector(templates - 1) else { throw BenchmarkFailure.wrongPlaintext }
            if rep == 0 { continue }  // warm-up
            swiftTimes.append(Double(t1 - t0) / Double(templates))
            cipherTimes.append(Double(t2 - t1) / Double(templates))
        }
        return (Samples(swiftTimes).median, Samples(cipherTimes).median)
    }

    enum BenchmarkFailure: Error { case wrongPlaintext }
}
