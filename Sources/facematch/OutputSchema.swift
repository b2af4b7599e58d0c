import FaceNet
import MatchClient
import MatchRPC

// The client library's answer types; `MatchClient.Report` would name a member of its class.
typealias ClientReport = Report
typealias ClientWarning = Warning

/// The JSON every command prints, local or remote: one set of Codable types, printed by
/// `CLIOutput` with snake_case keys in sorted order. Coordinates are original-image pixels
/// rounded to 1/100 px, scores to 1/100, distances to 1e-6. Absent values are `null`, so every
/// object of a kind has the same keys. README.md shows an example of each.
enum Output {
    struct Box: Codable, Equatable {
        var left: Double
        var top: Double
        var right: Double
        var bottom: Double
    }

    struct Point: Codable, Equatable {
        var x: Double
        var y: Double
    }

    /// A detected face; `embedding` (the 128-d descriptor) only in `embed` output.
    struct Face: Codable, Equatable {
        var box: Box
        var confidence: Double
        var landmarks: [Point]
        var embedding: [Float]?
    }

    struct Warning: Codable, Equatable {
        var risk: String
        var logType: String
        var shortDescription: String
        var longDescription: String
    }

    /// The server's account of a call; null for a command that ran in-process.
    struct Call: Codable, Equatable {
        var requestId: String
        var modelId: String
        var serverTimeMs: Double
    }

    /// `compare` (local or --server) and `verify`.
    struct Report: Codable, Equatable {
        var status: String
        var score: Double
        var distance: Double?
        var warnings: [Warning]
        var sourceFace: Face?
        var targetFace: Face?
        var vendorData: String
        var call: Call?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
            try c.encode(score, forKey: .score)
            try c.encode(distance, forKey: .distance)
            try c.encode(warnings, forKey: .warnings)
            try c.encode(sourceFace, forKey: .sourceFace)
            try c.encode(targetFace, forKey: .targetFace)
            try c.encode(vendorData, forKey: .vendorData)
            try c.encode(call, forKey: .call)
        }
    }

    /// `embed`: one per image and line.
    struct Image: Codable, Equatable {
        var file: String
        var width: Int
        var height: Int
        var faces: [Face]
    }

    struct Enrollment: Codable, Equatable {
        var subjectId: String
        var enrolled: Bool
        var face: Face?
        var facesDetected: Int
        var enrollmentCount: Int
        var warnings: [Warning]
        var vendorData: String
        var call: Call?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(subjectId, forKey: .subjectId)
            try c.encode(enrolled, forKey: .enrolled)
            try c.encode(face, forKey: .face)
            try c.encode(facesDetected, forKey: .facesDetected)
            try c.encode(enrollmentCount, forKey: .enrollmentCount)
            try c.encode(warnings, forKey: .warnings)
            try c.encode(vendorData, forKey: .vendorData)
            try c.encode(call, forKey: .call)
        }
    }

    struct Candidate: Codable, Equatable {
        var subjectId: String
        var score: Double
        var distance: Double
    }

    struct Identification: Codable, Equatable {
        var candidates: [Candidate]
        var face: Face?
        var warnings: [Warning]
        var call: Call?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(candidates, forKey: .candidates)
            try c.encode(face, forKey: .face)
            try c.encode(warnings, forKey: .warnings)
            try c.encode(call, forKey: .call)
        }
    }

    struct Deletion: Codable, Equatable {
        var subjectId: String
        var deleted: Bool
        var call: Call?
    }

    struct Health: Codable, Equatable {
        var serving: Bool
        var modelId: String
        var subjects: Int
        var vectors: Int
        var storeBytes: Int
        /// True while a `--postgres` server's database is unreachable (reads go on, writes are refused).
        var storeDegraded: Bool
        /// Commit-to-apply delay of the last change the server applied (0 without a database).
        var replicationLagMs: Int
        /// While the application migrates from a previous model: its id ("" otherwise) and the
        /// subjects still holding templates of it only.
        var previousModelId: String
        var migrationWaitingSubjects: Int
        /// The server's answer-signing Ed25519 public key (hex) and its id.
        var signingKeyId: String = ""
        var signingPublicKey: String = ""
    }

    /// Any failure: `{"error": {"code", "name", "message"}}` (gRPC code numbers and names for
    /// server calls; code 2 UNKNOWN for local failures such as an unreadable image).
    struct Failure: Codable, Equatable {
        struct Detail: Codable, Equatable {
            var code: Int
            var name: String
            var message: String
        }
        var error: Detail
    }
}

// MARK: - From the in-process pipeline and policy

extension Output.Face {
    init(_ face: AnalyzedFace, withEmbedding: Bool = false) {
        box = Output.Box(left: hundredths(face.box.left), top: hundredths(face.box.top),
                         right: hundredths(face.box.right), bottom: hundredths(face.box.bottom))
        confidence = millionths(Double(face.confidence))
        landmarks = face.landmarks.map { Output.Point(x: hundredths($0.x), y: hundredths($0.y)) }
        embedding = withEmbedding ? face.embedding : nil
    }
}

extension Output.Report {
    init(_ report: MatchReport) {
        status = report.status.rawValue
        score = hundredths(report.score)
        distance = report.distance.map(millionths)
        warnings = report.warnings.map {
            Output.Warning(risk: $0.risk.rawValue, logType: $0.logType.rawValue,
                           shortDescription: $0.shortDescription, longDescription: $0.longDescription)
        }
        sourceFace = report.sourceFace.map { Output.Face($0) }
        targetFace = report.targetFace.map { Output.Face($0) }
        vendorData = ""
        call = nil
    }
}

extension Output.Image {
    init(file: String, analysis: FaceAnalysis) {
        self.init(file: file, width: analysis.width, height: analysis.height,
                  faces: analysis.faces.map { Output.Face($0, withEmbedding: true) })
    }
}

// MARK: - From the client library's answers

extension Output.Face {
    init(_ face: DetectedFace) {
        box = Output.Box(left: hundredths(face.box.left), top: hundredths(face.box.top),
                         right: hundredths(face.box.right), bottom: hundredths(face.box.bottom))
        confidence = millionths(face.confidence)
        landmarks = face.landmarks.map { Output.Point(x: hundredths($0.x), y: hundredths($0.y)) }
        embedding = nil
    }
}

extension Output.Warning {
    init(_ w: ClientWarning) {
        self.init(risk: w.risk, logType: w.logType, shortDescription: w.shortDescription, longDescription: w.longDescription)
    }
}

extension Output.Call {
    init(_ info: CallInfo) {
        self.init(requestId: info.requestID, modelId: info.modelID, serverTimeMs: hundredths(info.serverTimeMs))
    }
}

extension Output.Report {
    init(_ r: ClientReport) {
        self.init(status: r.status.rawValue, score: hundredths(r.score), distance: r.distance.map(millionths),
                  warnings: r.warnings.map(Output.Warning.init), sourceFace: r.sourceFace.map { Output.Face($0) },
                  targetFace: r.targetFace.map { Output.Face($0) }, vendorData: r.vendorData, call: Output.Call(r.info))
    }
}

extension Output.Enrollment {
    init(_ r: EnrollResult) {
        self.init(subjectId: r.subjectID, enrolled: r.enrolled, face: r.face.map { Output.Face($0) },
                  facesDetected: r.facesDetected, enrollmentCount: r.enrollmentCount,
                  warnings: r.warnings.map(Output.Warning.init), vendorData: r.vendorData, call: Output.Call(r.info))
    }
}

extension Output.Identification {
    init(_ r: IdentifyResult) {
        self.init(candidates: r.candidates.map {
                      Output.Candidate(subjectId: $0.subjectID, score: hundredths($0.score), distance: millionths($0.distance))
                  },
                  face: r.face.map { Output.Face($0) }, warnings: r.warnings.map(Output.Warning.init), call: Output.Call(r.info))
    }
}

extension Output.Deletion {
    init(_ r: DeleteResult) {
        self.init(subjectId: r.subjectID, deleted: r.deleted, call: Output.Call(r.info))
    }
}

extension Output.Health {
    init(_ r: HealthResult) {
        self.init(serving: r.serving, modelId: r.modelID, subjects: r.subjects, vectors: r.vectors, storeBytes: r.storeBytes,
                  storeDegraded: r.storeDegraded, replicationLagMs: r.replicationLagMs,
                  previousModelId: r.previousModelID, migrationWaitingSubjects: r.migrationWaitingSubjects,
                  signingKeyId: r.signingKeyID, signingPublicKey: r.signingPublicKey)
    }
}

func hundredths(_ v: Double) -> Double { (v * 100).rounded() / 100 }
private func millionths(_ v: Double) -> Double { (v * 1_000_000).rounded() / 1_000_000 }
