/// One stored template of a subject, as returned by `EmbeddingStore.templates`.
public struct Template: Sendable, Equatable {
    public var vector: [Float]
    /// The model id recorded in the store header (every template of a store shares it).
    public var modelID: String
    /// Milliseconds since 1970-01-01 UTC when the template was enrolled.
    public var createdAtMillis: Int64
    /// Opaque caller bytes (≤ 256), empty when none were given.
    public var vendorData: [UInt8]

    public init(vector: [Float], modelID: String, createdAtMillis: Int64, vendorData: [UInt8]) {
        self.vector = vector
        self.modelID = modelID
        self.createdAtMillis = createdAtMillis
        self.vendorData = vendorData
    }
}
