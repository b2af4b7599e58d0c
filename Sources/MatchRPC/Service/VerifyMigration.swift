import FaceNet

/// Verify for a subject that has templates of the application's `previous_model` only: the
/// probe (already analysed with the application's model) is analysed with the previous model
/// too, the decision is the previous model's (its templates, its calibration), and an Approved
/// match enrols the application's model's embedding of the same probe (appended, without
/// vendor_data), reported by a TEMPLATE_MIGRATED information entry. No image is ever stored.
struct VerifyMigration {
    let service: MatchService
    let application: Application
    let previous: FaceModelID

    func verify(subject: String, image: [UInt8], probe: FaceAnalysis, analyzers: ModelAnalyzers,
                deadline: CallDeadline) throws(ServiceError) -> MatchReport {
        let analysis = try service.analyze(image, named: "image", with: try analyzers.analyzer(for: previous),
                                           deadline: deadline)
        try deadline.check("before the store lookup")
        let previousStore = try service.stores.store(for: previous)
        let best = try service.bestDistance(of: analysis, subject: subject, namespace: application.namespace,
                                            in: previousStore)
        var report = MatchPolicy(application: application, model: previous).verify(source: analysis, bestDistance: best)
        guard report.status == .approved, let face = probe.faces.first else { return report }
        let store = try service.stores.store(for: application.model)
        try deadline.beginCommit()
        _ = try service.storeCall {
            try store.enroll(namespace: application.namespace, subject: subject, vector: face.embedding, vendorData: [],
                             mode: .append)
        }
        service.migration.invalidate(namespace: application.namespace)
        report.warnings.append(.templateMigrated(from: previous, to: application.model))
        return report
    }
}
