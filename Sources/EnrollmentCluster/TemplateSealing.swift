import MatchRPC
import TemplateCrypto

/// How PostgreSQL holds templates (migration 2): each vector sealed with AES-256-GCM under its
/// subject's data key (`SealedTemplate`, additional data binding namespace, subject and model),
/// and the data key itself in `facematch_data_keys`, wrapped by the master key (`WrappedDataKey`,
/// which names that master key). The node holds the master key; plaintext vectors exist only in
/// its memory and its cache. One sealing per model (migration 3): its id is bound into every
/// sealed template, and its dimension is what every template of that model must have.
struct TemplateSealing: Sendable {
    let masterKey: MasterKey
    let model: FaceModelID
    var modelID: String { model.rawValue }
    var dimension: Int { model.dimension }

    /// A subject's data key with the wrapped bytes PostgreSQL holds for it.
    struct SubjectKey: Sendable {
        var key: DataKey
        var wrapped: [UInt8]
    }

    func newKey(namespace: String, subject: String) -> SubjectKey {
        let key = DataKey.random()
        return SubjectKey(key: key, wrapped: masterKey.wrap(key, for: SubjectContext(namespace: namespace, subject: subject)))
    }

    func unwrap(_ wrapped: [UInt8], namespace: String, subject: String) throws(ClusterError) -> SubjectKey {
        do {
            let key = try masterKey.unwrap(wrapped, for: SubjectContext(namespace: namespace, subject: subject))
            return SubjectKey(key: key, wrapped: wrapped)
        } catch {
            throw .key("data key of \(namespace)/\(subject): \(error)")
        }
    }

    func seal(_ vector: [Float], with key: SubjectKey, namespace: String, subject: String) -> [UInt8] {
        key.key.seal(vector, for: TemplateContext(namespace: namespace, subject: subject, modelID: modelID))
    }

    /// Refuses a template whose length is not this model's dimension, naming both.
    func open(_ sealed: [UInt8], with key: SubjectKey, namespace: String, subject: String) throws(ClusterError) -> [Float] {
        let payload = sealed.count - SealedTemplate.overhead
        if payload >= 0, payload % 4 == 0, payload / 4 != dimension {
            throw .dimensionMismatch(model: modelID, subject: "\(namespace)/\(subject)", expected: dimension, found: payload / 4)
        }
        do {
            return try key.key.open(sealed, dimension: dimension,
                                    for: TemplateContext(namespace: namespace, subject: subject, modelID: modelID))
        } catch {
            throw .key("template of \(namespace)/\(subject): \(error)")
        }
    }
}
