import Foundation
import Wire

/// Valid starting points for the fuzzer: every request and response as a frame, a pipelined
/// stream, an unknown method, an undecodable payload and an oversize prefix. Each input starts
/// with the read-size byte `WireFuzzHarness` expects.
enum SeedCorpus {
    static func inputs() -> [String: [UInt8]] {
        let face = FaceMessage(left: 10, top: 12, right: 90, bottom: 95, confidence: 1.02,
                               landmarks: [[70, 40], [60, 40], [30, 41], [40, 41], [50, 70]])
        let info = CallInfoMessage(requestID: "r-1", modelID: "dlib-resnet-v1", serverTimeMillis: 40.5)
        let warning = WarningMessage(risk: "LOW_FACE_MATCH_SIMILARITY", logType: .warning,
                                     shortDescription: "Low similarity", longDescription: "Score below the review threshold.")
        let requests: [RPCRequest] = [
            .compare(CompareRequestMessage(sourceImage: [0xFF, 0xD8, 0xFF], targetImage: [0x89, 0x50], vendorData: [1])),
            .enroll(EnrollRequestMessage(subjectID: "subject-1", image: [0xFF, 0xD8], vendorData: [], mode: .replace)),
            .verify(VerifyRequestMessage(subjectID: "subject-1", image: [0xFF, 0xD8], vendorData: [2])),
            .identify(IdentifyRequestMessage(image: [0xFF], topK: 5, minScore: 50)),
            .deleteEnrollment(DeleteEnrollmentRequestMessage(subjectID: "subject-1")),
            .health(HealthRequestMessage()),
        ]
        let responses: [RPCResponse] = [
            .compare(MatchReportMessage(status: .approved, score: 92, distance: 0.3, warnings: [warning], sourceFace: face,
                                        targetFace: face, vendorData: [1], info: info)),
            .enroll(EnrollResultMessage(subjectID: "subject-1", enrolled: true, face: face, facesDetected: 1, enrollmentCount: 1,
                                        warnings: [], vendorData: [], info: info)),
            .identify(IdentifyResultMessage(candidates: [CandidateMessage(subjectID: "subject-1", score: 90, distance: 0.31)],
                                            face: face, warnings: [], info: info)),
            .deleteEnrollment(DeleteEnrollmentResultMessage(subjectID: "subject-1", deleted: true, info: info)),
            .health(HealthResultMessage(serving: true, modelID: "dlib-resnet-v1", subjects: 1, templates: 2, storeBytes: 4096)),
        ]
        var seeds: [String: [UInt8]] = [:]
        var pipelined: [UInt8] = [7]
        for (i, request) in requests.enumerated() {
            let body = RequestEnvelope(callID: UInt64(i + 1), request: request, apiKey: "key", timeoutMillis: 1000).serialized()
            seeds["request-\(request.method.rawValue)"] = [63] + FrameEncoder.frame(body: body)
            pipelined += FrameEncoder.frame(body: body)
        }
        seeds["pipelined"] = pipelined
        for (i, response) in responses.enumerated() {
            seeds["payload-\(response.method.rawValue)"] = [63] + FrameEncoder.frame(body: response.serialized())
            let envelope = ResponseEnvelope(callID: UInt64(i + 1), status: .ok, payload: response.serialized())
            seeds["response-\(response.method.rawValue)"] = [63] + FrameEncoder.frame(body: envelope.serialized())
        }
        let unknown = RequestEnvelope(callID: 9, methodName: "Teleport", apiKey: "key", timeoutMillis: 0, payload: [])
        seeds["unknown-method"] = [0] + FrameEncoder.frame(body: unknown.serialized())
        let garbled = RequestEnvelope(callID: 10, method: .enroll, apiKey: "key", timeoutMillis: 0, payload: [0x0A, 0x7F])
        seeds["undecodable-payload"] = [1] + FrameEncoder.frame(body: garbled.serialized())
        seeds["oversize-prefix"] = [3, 0xFF, 0xFF, 0xFF, 0xFF, 0]
        return seeds
    }

    static func write(to directory: String) -> Int32 {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, bytes) in inputs() {
                try Data(bytes).write(to: URL(fileURLWithPath: directory + "/seed-" + name))
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("cannot write seeds: \(error)\n".utf8))
            return 1
        }
    }
}
