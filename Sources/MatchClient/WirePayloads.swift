import Wire

/// Request payloads out (Wire messages), response payloads in (as the library's own values).
enum WirePayloads {
    private static func decode<M: WireMessage>(_ type: M.Type, _ payload: [UInt8]) throws -> M {
        do {
            return try M(serialized: payload)
        } catch {
            throw MatchClientError.malformedResponse("\(error)")
        }
    }

    static func compare(source: [UInt8], target: [UInt8], vendorData: String) -> [UInt8] {
        CompareRequestMessage(sourceImage: source, targetImage: target, vendorData: Array(vendorData.utf8)).serialized()
    }

    static func enroll(subject: String, image: [UInt8], vendorData: String, replace: Bool) -> [UInt8] {
        EnrollRequestMessage(subjectID: subject, image: image, vendorData: Array(vendorData.utf8),
                             mode: replace ? .replace : .append).serialized()
    }

    static func verify(subject: String, image: [UInt8], vendorData: String) -> [UInt8] {
        VerifyRequestMessage(subjectID: subject, image: image, vendorData: Array(vendorData.utf8)).serialized()
    }

    static func identify(image: [UInt8], topK: Int, minScore: Double) -> [UInt8] {
        IdentifyRequestMessage(image: image, topK: UInt32(clamping: topK), minScore: minScore).serialized()
    }

    static func delete(subject: String) -> [UInt8] { DeleteEnrollmentRequestMessage(subjectID: subject).serialized() }
    static func health() -> [UInt8] { HealthRequestMessage().serialized() }

    static func report(_ payload: [UInt8]) throws -> Report {
        let m = try decode(MatchReportMessage.self, payload)
        return Report(status: try status(m.status), score: m.score, distance: m.distance, warnings: m.warnings.map(warning),
                      sourceFace: m.sourceFace.map(face), targetFace: m.targetFace.map(face),
                      vendorData: text(m.vendorData), info: info(m.info))
    }

    static func enrollResult(_ payload: [UInt8]) throws -> EnrollResult {
        let m = try decode(EnrollResultMessage.self, payload)
        return EnrollResult(subjectID: m.subjectID, enrolled: m.enrolled, face: m.face.map(face),
                            facesDetected: Int(m.facesDetected), enrollmentCount: Int(m.enrollmentCount),
                            warnings: m.warnings.map(warning), vendorData: text(m.vendorData), info: info(m.info))
    }

    static func identifyResult(_ payload: [UInt8]) throws -> IdentifyResult {
        let m = try decode(IdentifyResultMessage.self, payload)
        return IdentifyResult(candidates: m.candidates.map { Candidate(subjectID: $0.subjectID, score: $0.score, distance: $0.distance) },
                              face: m.face.map(face), warnings: m.warnings.map(warning), info: info(m.info))
    }

    static func deleteResult(_ payload: [UInt8]) throws -> DeleteResult {
        let m = try decode(DeleteEnrollmentResultMessage.self, payload)
        return DeleteResult(subjectID: m.subjectID, deleted: m.deleted, info: info(m.info))
    }

    static func healthResult(_ payload: [UInt8]) throws -> HealthResult {
        let m = try decode(HealthResultMessage.self, payload)
        return HealthResult(serving: m.serving, modelID: m.modelID, subjects: Int(clamping: m.subjects),
                            vectors: Int(clamping: m.templates), storeBytes: Int(clamping: m.storeBytes),
                            storeDegraded: m.storeDegraded, replicationLagMs: Int(clamping: m.replicationLagMillis),
                            previousModelID: m.previousModelID,
                            migrationWaitingSubjects: Int(clamping: m.migrationWaitingSubjects),
                            signingPublicKey: Hex.string(m.signingPublicKey),
                            signingKeyID: m.signingKeyID)
    }

    private static func status(_ status: WireMatchStatus) throws -> ReportStatus {
        switch status {
        case .approved: return .approved
        case .inReview: return .inReview
        case .declined: return .declined
        case .unspecified: throw MatchClientError.malformedResponse("report without a status")
        }
    }

    private static func warning(_ m: WarningMessage) -> Warning {
        let logType = switch m.logType {
        case .information: "information"
        case .warning: "warning"
        case .error: "error"
        case .unspecified: "unspecified"
        }
        return Warning(risk: m.risk, logType: logType, shortDescription: m.shortDescription, longDescription: m.longDescription)
    }

    private static func face(_ m: FaceMessage) -> DetectedFace {
        DetectedFace(box: FaceRect(left: m.left, top: m.top, right: m.right, bottom: m.bottom),
                     confidence: Double(m.confidence),
                     landmarks: m.landmarks.compactMap { $0.count == 2 ? Point2D(x: $0[0], y: $0[1]) : nil })
    }

    private static func info(_ m: CallInfoMessage?) -> CallInfo {
        CallInfo(requestID: m?.requestID ?? "", modelID: m?.modelID ?? "", serverTimeMs: m?.serverTimeMillis ?? 0)
    }

    /// vendor_data is bytes on the wire; the library hands it out as text (lossy for non-UTF-8).
    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
