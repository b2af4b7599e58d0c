import FaceNet

/// The calls themselves, free of networking: each runs on a worker thread with that worker's
/// analyzers, scoped to the calling application's namespace, thresholds and model.
public struct MatchService: Sendable {
    public static let maxTopK = 50
    public static let defaultTopK = 5
    public static let maxSubjectBytes = 128

    public let stores: ModelStores
    /// Subjects still waiting for a model migration, per application (Health, metrics).
    public let migration: MigrationProgress

    public init(stores: ModelStores) {
        self.stores = stores
        migration = MigrationProgress(stores: stores)
    }

    public func compare(source: [UInt8], target: [UInt8], for application: Application, analyzers: ModelAnalyzers,
                        deadline: CallDeadline = .unbounded) throws(ServiceError) -> MatchReport {
        let analyzer = try analyzers.analyzer(for: application.model)
        let sourceAnalysis = try analyze(source, named: "source_image", with: analyzer, deadline: deadline)
        let targetAnalysis = try analyze(target, named: "target_image", with: analyzer, deadline: deadline)
        return MatchPolicy(application: application).compare(source: sourceAnalysis, target: targetAnalysis)
    }

    public func enroll(subject: String, image: [UInt8], vendorData: [UInt8], mode: EnrollmentMode,
                       for application: Application, analyzers: ModelAnalyzers,
                       deadline: CallDeadline = .unbounded) throws(ServiceError) -> EnrollOutcome {
        try Self.checkSubject(subject)
        let analysis = try analyze(image, named: "image", with: try analyzers.analyzer(for: application.model),
                                   deadline: deadline)
        var warnings: [MatchWarning] = []
        guard let face = analysis.faces.first else {
            return EnrollOutcome(enrolled: false, face: nil, facesDetected: 0, enrollmentCount: 0,
                                 warnings: [.noFaceDetected])
        }
        if analysis.faces.count > 1 { warnings.append(.multipleFaces(analysis.faces.count, image: "enrolment")) }
        warnings += MatchPolicy(application: application).quality.warnings(for: face, image: "enrolment")
        let store = try stores.store(for: application.model)
        try deadline.beginCommit()
        let count = try storeCall {
            try store.enroll(namespace: application.namespace, subject: subject, vector: face.embedding,
                             vendorData: vendorData, mode: mode)
        }
        migration.invalidate(namespace: application.namespace)
        return EnrollOutcome(enrolled: true, face: face, facesDetected: analysis.faces.count,
                             enrollmentCount: count, warnings: warnings)
    }

    /// The probe against the subject's templates of the application's model. With a
    /// `previous_model`, a subject holding only that model's templates is decided with them (and
    /// its calibration); an Approved match then enrols the application's model from the same
    /// image (`VerifyMigration`).
    public func verify(subject: String, image: [UInt8], for application: Application, analyzers: ModelAnalyzers,
                       deadline: CallDeadline = .unbounded) throws(ServiceError) -> MatchReport {
        try Self.checkSubject(subject)
        let analysis = try analyze(image, named: "image", with: try analyzers.analyzer(for: application.model),
                                   deadline: deadline)
        try deadline.check("before the store lookup")
        let store = try stores.store(for: application.model)
        let best = try bestDistance(of: analysis, subject: subject, namespace: application.namespace, in: store)
        if best == nil, let previous = application.previousModel,
           try storeCall({ try stores.store(for: previous).enrollmentCount(namespace: application.namespace, subject: subject) }) > 0 {
            return try VerifyMigration(service: self, application: application, previous: previous)
                .verify(subject: subject, image: image, probe: analysis, analyzers: analyzers, deadline: deadline)
        }
        return MatchPolicy(application: application).verify(source: analysis, bestDistance: best)
    }

    /// The smallest distance between the probe's face and the subject's templates in `store`;
    /// nil when the subject has none there. Without a probe face the policy only needs to know
    /// whether a reference exists (it reports no distance without a source face): infinity.
    func bestDistance(of analysis: FaceAnalysis, subject: String, namespace: String,
                      in store: any EnrollmentStoring) throws(ServiceError) -> Double? {
        if let face = analysis.faces.first {
            return try storeCall { try store.bestDistance(namespace: namespace, subject: subject, vector: face.embedding) }
        }
        let count = try storeCall { try store.enrollmentCount(namespace: namespace, subject: subject) }
        return count > 0 ? .infinity : nil
    }

    /// Searches the application's model's templates only: subjects still waiting for a model
    /// migration are not candidates until a Verify (or a new Enroll) gives them one.
    public func identify(image: [UInt8], topK: Int, minScore: Double, for application: Application,
                         analyzers: ModelAnalyzers, deadline: CallDeadline = .unbounded) throws(ServiceError) -> IdentifyOutcome {
        let k = topK == 0 ? Self.defaultTopK : topK
        guard (1...Self.maxTopK).contains(k) else {
            throw .invalidArgument("top_k must be 1...\(Self.maxTopK) (0 for \(Self.defaultTopK)), got \(topK)")
        }
        guard minScore.isFinite, (0...100).contains(minScore) else {
            throw .invalidArgument("min_score must be 0...100, got \(minScore)")
        }
        let analysis = try analyze(image, named: "image", with: try analyzers.analyzer(for: application.model),
                                   deadline: deadline)
        guard let face = analysis.faces.first else {
            return IdentifyOutcome(candidates: [], face: nil, warnings: [.noFaceDetected])
        }
        var warnings: [MatchWarning] = []
        if analysis.faces.count > 1 { warnings.append(.multipleFaces(analysis.faces.count, image: "probe")) }
        try deadline.check("before the store search")
        let calibration = ScoreCalibration.of(application.model)
        let maxDistance = calibration.distance(forScore: minScore)
        let store = try stores.store(for: application.model)
        let hits = try storeCall {
            try store.search(namespace: application.namespace, vector: face.embedding, topK: k, maxDistance: maxDistance)
        }
        let candidates = hits.map {
            IdentifyCandidate(subject: $0.subject, score: calibration.score(distance: $0.distance), distance: $0.distance)
        }
        return IdentifyOutcome(candidates: candidates, face: face, warnings: warnings)
    }

    /// Erases the subject's templates of every model (a subject may hold several during a migration).
    public func delete(subject: String, for application: Application,
                       deadline: CallDeadline = .unbounded) throws(ServiceError) {
        try Self.checkSubject(subject)
        try deadline.beginCommit()
        var removed = false
        for (_, store) in stores.all {
            let erased = try storeCall { try store.delete(namespace: application.namespace, subject: subject) }
            removed = removed || erased
        }
        migration.invalidate(namespace: application.namespace)
        guard removed else { throw .notFound("subject has no enrolment") }
    }

    /// Subject ids are compared as exact UTF-8 bytes everywhere (no normalisation), so only
    /// characters a caller can see and type are allowed: control (Unicode Cc) and format (Cf:
    /// zero-width, bidirectional marks...) characters are refused, naming the first one.
    public static func checkSubject(_ subject: String) throws(ServiceError) {
        let bytes = subject.utf8
        guard (1...maxSubjectBytes).contains(bytes.count) else {
            throw .invalidArgument("subject_id must be 1...\(maxSubjectBytes) bytes, got \(bytes.count)")
        }
        var offset = 0
        for scalar in subject.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format:
                let code = String(scalar.value, radix: 16, uppercase: true)
                let kind = scalar.properties.generalCategory == .control ? "control" : "format"
                throw .invalidArgument("subject_id must not contain \(kind) characters: "
                                       + "U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code) at byte \(offset)")
            default:
                offset += String(scalar).utf8.count
            }
        }
    }

    func analyze(_ bytes: [UInt8], named field: String, with analyzer: any FaceAnalyzing,
                         deadline: CallDeadline) throws(ServiceError) -> FaceAnalysis {
        guard !bytes.isEmpty else { throw .invalidArgument("\(field) is empty") }
        try deadline.check("before \(field) was analysed")
        do {
            return try analyzer.analyze(imageBytes: bytes, shouldStop: { deadline.hasExpired })
        } catch let error as AnalysisError {
            switch error {
            case .invalidImage(let reason): throw .invalidArgument("\(field): \(reason)")
            case .stopped: throw .deadlineExceeded("deadline passed while \(field) was analysed")
            }
        } catch {
            throw .internalError("face analysis failed: \(type(of: error))")
        }
    }

    /// Stores throw `ServiceError` for what the caller should see (a bad subject id, corrupt
    /// files, a database that is down); anything else is internal.
    func storeCall<T>(_ body: () throws -> T) throws(ServiceError) -> T {
        do {
            return try body()
        } catch let error as ServiceError {
            throw error
        } catch {
            throw .internalError("store failed: \(error)")
        }
    }
}
