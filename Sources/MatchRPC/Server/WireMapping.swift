import FaceNet
import Wire

/// Per-method payloads: Wire request messages to service arguments, service results to Wire
/// response messages.
enum WireMapping {
    static func mode(_ wire: WireEnrollMode) -> EnrollmentMode {
        wire == .replace ? .replace : .append
    }

    static func encodeReport(_ report: MatchReport, vendorData: [UInt8], meta: RPCDispatcher.CallMeta) -> [UInt8] {
        MatchReportMessage(status: status(report.status), score: report.score, distance: report.distance,
                           warnings: report.warnings.map(warning), sourceFace: report.sourceFace.map(face),
                           targetFace: report.targetFace.map(face), vendorData: vendorData, info: info(meta)).serialized()
    }

    static func encodeEnroll(_ outcome: EnrollOutcome, subject: String, vendorData: [UInt8],
                             meta: RPCDispatcher.CallMeta) -> [UInt8] {
        EnrollResultMessage(subjectID: subject, enrolled: outcome.enrolled, face: outcome.face.map(face),
                            facesDetected: UInt32(clamping: outcome.facesDetected),
                            enrollmentCount: UInt32(clamping: outcome.enrollmentCount),
                            warnings: outcome.warnings.map(warning), vendorData: vendorData, info: info(meta)).serialized()
    }

    static func encodeIdentify(_ outcome: IdentifyOutcome, meta: RPCDispatcher.CallMeta) -> [UInt8] {
        IdentifyResultMessage(
            candidates: outcome.candidates.map { CandidateMessage(subjectID: $0.subject, score: $0.score, distance: $0.distance) },
            face: outcome.face.map(face), warnings: outcome.warnings.map(warning), info: info(meta)).serialized()
    }

    static func encodeDelete(subject: String, meta: RPCDispatcher.CallMeta) -> [UInt8] {
        DeleteEnrollmentResultMessage(subjectID: subject, deleted: true, info: info(meta)).serialized()
    }

    static func encodeHealth(serving: Bool, application: Application, stats: EnrollmentStats?,
                             replication: ReplicationStatus? = nil, waitingSubjects: Int? = nil,
                             signingKey: AnswerPublicKey? = nil) -> [UInt8] {
        var health = HealthResultMessage(serving: serving, modelID: application.model.rawValue, subjects: UInt64(stats?.subjects ?? 0),
                                         templates: UInt64(stats?.vectors ?? 0), storeBytes: UInt64(stats?.bytes ?? 0),
                                         storeDegraded: replication?.degraded ?? false,
                                         replicationLagMillis: UInt64(max(0, (replication?.lagSeconds ?? 0) * 1000).rounded()),
                                         previousModelID: application.previousModel?.rawValue ?? "",
                                         migrationWaitingSubjects: UInt64(max(0, waitingSubjects ?? 0)))
        health.signingPublicKey = signingKey?.rawRepresentation ?? []
        health.signingKeyID = signingKey?.keyID ?? ""
        return health.serialized()
    }

    private static func status(_ status: MatchStatus) -> WireMatchStatus {
        switch status {
        case .approved: .approved
        case .inReview: .inReview
        case .declined: .declined
        }
    }

    private static func warning(_ warning: MatchWarning) -> WarningMessage {
        let logType: WireLogType = switch warning.logType {
        case .information: .information
        case .warning: .warning
        case .error: .error
        }
        return WarningMessage(risk: warning.risk.rawValue, logType: logType, shortDescription: warning.shortDescription,
                              longDescription: warning.longDescription)
    }

    private static func face(_ face: AnalyzedFace) -> FaceMessage {
        FaceMessage(left: face.box.left, top: face.box.top, right: face.box.right, bottom: face.box.bottom,
                    confidence: face.confidence, landmarks: face.landmarks.map { [$0.x, $0.y] })
    }

    private static func info(_ meta: RPCDispatcher.CallMeta) -> CallInfoMessage {
        CallInfoMessage(requestID: meta.requestID, modelID: meta.modelID, serverTimeMillis: meta.serverMilliseconds)
    }
}
