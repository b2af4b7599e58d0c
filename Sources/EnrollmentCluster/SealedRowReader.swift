import NIOCore

/// Turns template rows read from PostgreSQL into plaintext templates, in memory only: unwraps each
/// subject's data key once for its consecutive rows and opens the sealed vectors. A row still in
/// migration 1's plaintext (`sealed` false, only until a node has encrypted it at start) is read
/// as it is. Every template must have the model's dimension (`ClusterError.dimensionMismatch`).
struct SealedRowReader {
    let sealing: TemplateSealing
    private var current: (namespace: String, subject: String, key: TemplateSealing.SubjectKey)?

    init(sealing: TemplateSealing) {
        self.sealing = sealing
    }

    mutating func template(namespace: String, subject: String, vector: ByteBuffer, vendor: ByteBuffer, sealed: Bool,
                           wrappedKey: ByteBuffer?) throws -> StoredTemplate {
        let vendorData = Array(vendor.readableBytesView)
        guard sealed else {
            guard let floats = VectorBytes.decode(vector.readableBytesView) else {
                throw ClusterError.schema("a plaintext vector has \(vector.readableBytes) bytes, not a multiple of 4")
            }
            guard floats.count == sealing.dimension else {
                throw ClusterError.dimensionMismatch(model: sealing.modelID, subject: "\(namespace)/\(subject)",
                                                     expected: sealing.dimension, found: floats.count)
            }
            return StoredTemplate(vector: floats, vendorData: vendorData)
        }
        guard let wrappedKey else {
            throw ClusterError.key("\(namespace)/\(subject) has a sealed template but no data key")
        }
        let key: TemplateSealing.SubjectKey
        if let current, current.namespace == namespace, current.subject == subject, current.key.wrapped == Array(wrappedKey.readableBytesView) {
            key = current.key
        } else {
            key = try sealing.unwrap(Array(wrappedKey.readableBytesView), namespace: namespace, subject: subject)
            current = (namespace, subject, key)
        }
        let vector = try sealing.open(Array(vector.readableBytesView), with: key, namespace: namespace, subject: subject)
        return StoredTemplate(vector: vector, vendorData: vendorData)
    }
}
