import Wire

/// What signing adds to each answer (docs/wire-format.md, "Signed answers"): building the
/// statement and the Ed25519 signature on the server, checking it on the client, set against
/// encoding the same answer unsigned, measured in the same run. The answer is a typical Verify
/// MatchReport (one face with 5 landmarks, one warning, vendor data).
public enum SigningBenchmark {
    public struct Row: Sendable {
        public let name: String
        public let microseconds: Samples
    }

    public static func run(iterations: Int) -> [Row] {
        let key = AnswerSigningKey()
        let verifier = AnswerVerifier(publicKey: key.publicKey)
        let face = FaceMessage(left: 366.84, top: 144.97, right: 600.45, bottom: 378.47, confidence: 1.11,
                               landmarks: (0..<5).map { [Double($0) * 10.5, Double($0) * 7.25] })
        let report = MatchReportMessage(
            status: .approved, score: 97.31, distance: 0.31,
            warnings: [WarningMessage(risk: "LOW_QUALITY", logType: .warning, shortDescription: "Low quality",
                                      longDescription: "The face chip is blurred.")],
            sourceFace: face, targetFace: nil, vendorData: Array("door-3".utf8),
            info: CallInfoMessage(requestID: "53aff99d-4908-4667-bb44-2e886cc7d2d2",
                                  modelID: "dlib_face_recognition_resnet_model_v1", serverTimeMillis: 144.2))
        var callID: UInt64 = 0
        func unsigned() -> ResponseEnvelope {
            callID &+= 1
            return ResponseEnvelope(callID: callID, status: .ok, payload: report.serialized())
        }
        func signed() -> ResponseEnvelope {
            var envelope = unsigned()
            envelope.serverUnixMillis = UnixClock.millis()
            envelope.signingKeyID = key.publicKey.keyID
            envelope.signature = key.sign(AnswerStatement(method: .verify, callID: envelope.callID,
                                                          serverUnixMillis: envelope.serverUnixMillis,
                                                          requestID: "53aff99d-4908-4667-bb44-2e886cc7d2d2",
                                                          payload: envelope.payload))
            return envelope
        }
        var sink = 0
        let plain = BenchClock.time(iterations: iterations) { sink &+= unsigned().serialized().count }
        let withSignature = BenchClock.time(iterations: iterations) { sink &+= signed().serialized().count }
        let sample = signed()
        let check = BenchClock.time(iterations: iterations) {
            do {
                try verifier.check(method: .verify, envelope: sample)
                sink &+= 1
            } catch {
                sink &-= 1
            }
        }
        precondition(sink != 0)
        func micro(_ s: Samples) -> Samples { Samples(s.sorted.map { $0 * 1000 }) }
        return [Row(name: "encode answer, unsigned", microseconds: micro(plain)),
                Row(name: "encode answer, signed (server)", microseconds: micro(withSignature)),
                Row(name: "verify signature (client)", microseconds: micro(check))]
    }

    public static func rendered(_ rows: [Row]) -> String {
        var lines = ["| step | median µs | p99 µs |", "|---|---|---|"]
        for row in rows {
            let p99 = row.microseconds.percentile(99) ?? .nan
            lines.append("| \(row.name) | \(fixed(row.microseconds.median)) | \(fixed(p99)) |")
        }
        if rows.count >= 2 {
            lines.append("signing adds \(fixed(rows[1].microseconds.median - rows[0].microseconds.median)) µs per answer (median difference)")
        }
        return lines.joined(separator: "\n")
    }

    private static func fixed(_ value: Double) -> String {
        let hundredths = (value * 100).rounded() / 100
        return "\(hundredths)"
    }
}
