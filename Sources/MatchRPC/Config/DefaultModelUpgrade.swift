/// Keeps an upgrade from a dlib-only release from losing templates. An application that names no
/// `model` runs `FaceModelID.serviceDefault`; if its namespace already holds templates of another
/// model that is not its `previous_model` (enrolled while dlib was the default), switching would
/// leave every enrolled subject unmatched. Such an application is refused at start and on reload
/// until its config chooses (docs/service.md, "Upgrading from a dlib-only release"). The stores
/// are asked through `EnrollmentStoring`, so local stores and a cluster are checked alike.
public enum DefaultModelUpgrade {
    /// An application that names no model while its namespace holds `templates` of `model`.
    public struct Stranded: Sendable, Equatable {
        public let application: String
        /// Its position in the list (the config's `applications[index]`).
        public let index: Int
        public let model: FaceModelID
        public let templates: Int
    }

    /// Every application that names no model and whose namespace holds templates of a model it
    /// would no longer read.
    public static func stranded(_ applications: [Application], stores: ModelStores) throws -> [Stranded] {
        var found: [Stranded] = []
        for (index, application) in applications.enumerated() where !application.modelIsExplicit {
            for (model, store) in stores.all where !application.models.contains(model) {
                let templates = try store.stats(namespace: application.namespace).vectors
                if templates > 0 {
                    found.append(Stranded(application: application.id, index: index, model: model, templates: templates))
                }
            }
        }
        return found
    }

    /// Config mode: refuses the first stranded application, naming it and the two ways out. A store
    /// that cannot count refuses too: the check must not pass by default.
    public static func check(_ applications: [Application], stores: ModelStores) throws(ConfigError) {
        let found: [Stranded]
        do {
            found = try stranded(applications, stores: stores)
        } catch {
            throw .invalidSetting(key: "applications", reason: "cannot count the applications' templates, which an "
                + "application without model needs (docs/service.md, \"Upgrading from a dlib-only release\"): \(error)")
        }
        guard let first = found.first else { return }
        throw .invalidApplication(index: first.index, reason: refusal(first))
    }

    static func refusal(_ stranded: Stranded) -> String {
        let current = FaceModelID.serviceDefault.rawValue
        let old = stranded.model.rawValue
        return "application \"\(stranded.application)\" names no model, so it would now run \(current), but its "
            + "namespace holds \(stranded.templates) \(old) template(s) that would no longer match. Name its model in the "
            + "config: \"model\": \"\(old)\" keeps them; \"model\": \"\(current)\", \"previous_model\": \"\(old)\" migrates "
            + "them as subjects verify (docs/service.md, \"Upgrading from a dlib-only release\")"
    }

    /// Development mode: a development application that would be stranded migrates instead, with
    /// the model its templates are of as `previous_model`. Returns the application to run and what
    /// it found (nil when nothing changed).
    public static func migratingImplicitly(_ application: Application,
                                           stores: ModelStores) throws -> (application: Application, stranded: Stranded?) {
        guard let stranded = try stranded([application], stores: stores).max(by: { $0.templates < $1.templates }) else {
            return (application, nil)
        }
        let migrating = Application(id: application.id, keyDigest: application.keyDigest, thresholds: application.thresholds,
                                    riskActions: application.riskActions, clientCertificate: application.clientCertificate,
                                    model: nil, previousModel: stranded.model, retentionDays: application.retentionDays)
        return (migrating, stranded)
    }
}
