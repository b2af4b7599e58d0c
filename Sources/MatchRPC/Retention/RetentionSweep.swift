import Foundation
import Logging

/// One pass of retention: for every application with `retention_days`, erases its templates
/// enrolled before now minus that many days, counting them in
/// `facematch_retention_erased_templates_total{application}`. The clock is the caller's, so a
/// test sweeps "40 days later" without waiting. A failing application is logged and retried at
/// the next pass; the others are still swept.
struct RetentionSweep: Sendable {
    /// Every model's store: an application's subjects may hold templates of both models.
    let stores: ModelStores
    let registry: ApplicationRegistry
    let metrics: MetricsRegistry
    let logger: Logger

    static let secondsPerDay: Double = 86_400

    /// The templates erased per application (absent: the application keeps its templates).
    @discardableResult
    func run(now: Date) -> [String: Int] {
        var erased: [String: Int] = [:]
        for application in registry.all {
            guard let days = application.retentionDays else { continue }
            let cutoff = now.addingTimeInterval(-Double(days) * Self.secondsPerDay)
            do {
                var count = 0
                for (_, store) in stores.all {
                    count += try store.eraseTemplates(namespace: application.namespace, enrolledBefore: cutoff)
                }
                erased[application.id] = count
                metrics.recordRetentionErased(application: application.id, templates: count)
                if count > 0 {
                    logger.notice("retention erased templates", metadata: [
                        "application": "\(application.id)", "templates": "\(count)", "retention_days": "\(days)"])
                }
            } catch {
                logger.error("retention sweep failed; retried at the next sweep", metadata: [
                    "application": "\(application.id)", "error": "\(error)"])
            }
        }
        return erased
    }
}
