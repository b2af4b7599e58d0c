import FaceNet
import Foundation
import Wire

/// Per-method payloads: Wire request messages to service arguments, service results to Wire
/// response messages.
enum WireMapping {
    struct CompareArguments { var source: [UInt8]; var target: [UInt8]; var vendorData: [UInt8] }
    struct VerifyArguments { var subject: String; var image: [UInt8]; var vendorData: [UInt8] }
    struct EnrollArguments { var subject: String; var image: [UInt8]; var vendorData: [UInt8]; var mode: EnrollmentMode }
    struct IdentifyArguments { var image: [UInt8]; var topK: Int; var minScore: Double }

    private struct CompareDTO: Codable { var sourceImage: Data; var targetImage: Data; var vendorData: String }
    private struct VerifyDTO: Codable { var subjectId: String; var image: Data; var vendorData: String }
    private struct EnrollDTO: Codable { var subjectId: String; var image: Data; var vendorData: String; var replace: Bool }
    private struct IdentifyDTO: Codable { var image: Data; var topK: Int; var minScore: Double }
    private struct DeleteDTO: Codable { var subjectId: String }

    private static func decode<T: Decodable>(_ type: T.Type, _ payload: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(payload))
    }

    private static func encode(_ value: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: value)) ?? Data())
    }

    static func decodeCompare(_ payload: [UInt8]) throws -> CompareArguments {
        let dto = try decode(CompareDTO.self, payload)
        return CompareArguments(source: Array(dto.sourceImage), target: Array(dto.targetImage), vendorData: Array(dto.vendorData.utf8))
    }

    static func decodeVerify(_ payload: [UInt8]) throws -> VerifyArguments {
        let dto = try decode(VerifyDTO.self, payload)
        return VerifyArguments(subject: dto.subjectId, image: Array(dto.image), vendorData: Array(dto.vendorData.utf8))
    }

    static func decodeEnroll(_ payload: [UInt8]) throws -> EnrollArguments {
        let dto = try decode(EnrollDTO.self, payload)
        return EnrollArguments(subject: dto.subjectId, image: Array(dto.image), vendorData: Array(dto.vendorData.utf8),
                               mode: dto.replace ? .replace : .append)
    }

    static func decodeIdentify(_ payload: [UInt8]) throws -> IdentifyArguments {
        let dto = try decode(IdentifyDTO.self, payload)
        return IdentifyArguments(image: Array(dto.image), topK: dto.topK, minScore: dto.minScore)
    }

    static func decodeDelete(_ payload: [UInt8]) throws -> String {
        try decode(DeleteDTO.self, payload).subjectId
    }

    private static func info(_ meta: RPCDispatcher.CallMeta) -> [String: Any] {
        ["request_id": meta.requestID, "model_id": meta.modelID, "server_time_ms": meta.serverMilliseconds]
    }

    private static func face(_ face: AnalyzedFace?) -> Any {
        guard let face else { return NSNull() }
        return ["box": ["left": face.box.left, "top": face.box.top, "right": face.box.right, "bottom": face.box.bottom],
                "confidence": Double(face.confidence),
                "landmarks": face.landmarks.map { ["x": $0.x, "y": $0.y] }] as [String: Any]
    }

    private static func warnings(_ warnings: [MatchWarning]) -> [[String: Any]] {
        warnings.map { ["risk": $0.risk.rawValue, "log_type": $0.logType.rawValue,
                        "short_description": $0.shortDescription, "long_description": $0.longDescription] }
    }

    static func encodeReport(_ report: MatchReport, vendorData: [UInt8], meta: RPCDispatcher.CallMeta) -> [UInt8] {
        encode(["status": report.status.rawValue, "score": report.score, "distance": report.distance ?? NSNull(),
                "warnings": warnings(report.warnings), "source_face": face(report.sourceFace),
                "target_face": face(report.targetFace), "vendor_data": String(decoding: vendorData, as: UTF8.self),
                "info": info(meta)])
    }

    static func encodeEnroll(_ outcome: EnrollOutcome, subject: String, vendorData: [UInt8], meta: RPCDispatcher.CallMeta) -> [UInt8] {
        encode(["subject_id": subject, "enrolled": outcome.enrolled, "face": face(outcome.face),
                "faces_detected": outcome.facesDetected, "enrollment_count": outcome.enrollmentCount,
                "warnings": warnings(outcome.warnings), "vendor_data": String(decoding: vendorData, as: UTF8.self),
                "info": info(meta)])
    }

    static func encodeIdentify(_ outcome: IdentifyOutcome, meta: RPCDispatcher.CallMeta) -> [UInt8] {
        encode(["candidates": outcome.candidates.map { ["subject_id": $0.subject, "score": $0.score, "distance": $0.distance] },
                "face": face(outcome.face), "warnings": warnings(outcome.warnings), "info": info(meta)])
    }

    static func encodeDelete(subject: String, meta: RPCDispatcher.CallMeta) -> [UInt8] {
        encode(["subject_id": subject, "deleted": true, "info": info(meta)])
    }

    static func encodeHealth(serving: Bool, modelID: String, stats: EnrollmentStats?) -> [UInt8] {
        encode(["serving": serving, "model_id": modelID, "subjects": stats?.subjects ?? 0,
                "vectors": stats?.vectors ?? 0, "store_bytes": stats?.bytes ?? 0])
    }
}
