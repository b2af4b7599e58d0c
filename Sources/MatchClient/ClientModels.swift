/// The service's answers as the client library hands them out: plain Codable values, independent
/// of the wire encoding (the CLI prints them as JSON with snake_case keys).
public enum ReportStatus: String, Codable, Sendable {
    case approved = "Approved"
    case inReview = "In Review"
    case declined = "Declined"
}

public struct Point2D: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
}

public struct FaceRect: Codable, Sendable, Equatable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double
}

/// A detected face: its box (original image pixels), detector confidence and 5 landmarks.
public struct DetectedFace: Codable, Sendable, Equatable {
    public var box: FaceRect
    public var confidence: Double
    public var landmarks: [Point2D]
}

public struct Warning: Codable, Sendable, Equatable {
    public var risk: String
    public var logType: String
    public var shortDescription: String
    public var longDescription: String
}

/// What every successful call reports about itself.
public struct CallInfo: Codable, Sendable, Equatable {
    public var requestID: String
    public var modelID: String
    public var serverTimeMs: Double

    // Keys as snake_case JSON spells them (request_id → requestId); the Swift names say ID.
    enum CodingKeys: String, CodingKey {
        case requestID = "requestId", modelID = "modelId", serverTimeMs
    }
}

/// Compare and Verify.
public struct Report: Codable, Sendable, Equatable {
    public var status: ReportStatus
    public var score: Double
    /// nil when either side had no usable face.
    public var distance: Double?
    public var warnings: [Warning]
    public var sourceFace: DetectedFace?
    public var targetFace: DetectedFace?
    public var vendorData: String
    public var info: CallInfo
}

public struct EnrollResult: Codable, Sendable, Equatable {
    public var subjectID: String
    public var enrolled: Bool
    public var face: DetectedFace?
    public var facesDetected: Int
    public var enrollmentCount: Int
    public var warnings: [Warning]
    public var vendorData: String
    public var info: CallInfo

    // Keys as snake_case JSON spells them (request_id → requestId); the Swift names say ID.
    enum CodingKeys: String, CodingKey {
        case subjectID = "subjectId", enrolled, face, facesDetected, enrollmentCount, warnings, vendorData, info
    }
}

public struct Candidate: Codable, Sendable, Equatable {
    public var subjectID: String
    public var score: Double
    public var distance: Double

    // Keys as snake_case JSON spells them (request_id → requestId); the Swift names say ID.
    enum CodingKeys: String, CodingKey {
        case subjectID = "subjectId", score, distance
    }
}

public struct IdentifyResult: Codable, Sendable, Equatable {
    public var candidates: [Candidate]
    public var face: DetectedFace?
    public var warnings: [Warning]
    public var info: CallInfo
}

public struct DeleteResult: Codable, Sendable, Equatable {
    public var subjectID: String
    public var deleted: Bool
    public var info: CallInfo

    // Keys as snake_case JSON spells them (request_id → requestId); the Swift names say ID.
    enum CodingKeys: String, CodingKey {
        case subjectID = "subjectId", deleted, info
    }
}

public struct HealthResult: Codable, Sendable, Equatable {
    public var serving: Bool
    public var modelID: String
    /// The calling application's enrolments.
    public var subjects: Int
    public var vectors: Int
    public var storeBytes: Int
    /// True while the server's enrolment database is unreachable (reads go on, writes are refused).
    public var storeDegraded: Bool = false
    /// Commit-to-apply delay of the last change the server applied (0 without a shared database).
    public var replicationLagMs: Int = 0
    /// While the application migrates from a previous model: its id (empty otherwise) and how
    /// many subjects hold templates of it only.
    public var previousModelID: String = ""
    public var migrationWaitingSubjects: Int = 0
    /// The server's answer-signing Ed25519 public key (64 hex digits; "" when it signs nothing) and its id.
    public var signingPublicKey: String = ""
    public var signingKeyID: String = ""

    // Keys as snake_case JSON spells them (request_id → requestId); the Swift names say ID.
    enum CodingKeys: String, CodingKey {
        case serving, modelID = "modelId", subjects, vectors, storeBytes, storeDegraded, replicationLagMs
        case previousModelID = "previousModelId", migrationWaitingSubjects
        case signingPublicKey, signingKeyID = "signingKeyId"
    }
}
