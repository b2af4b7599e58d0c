import CProtobuf

public struct HealthResultMessage: WireMessage, Equatable {
    public var serving: Bool
    public var modelID: String
    public var subjects: UInt64
    public var templates: UInt64
    public var storeBytes: UInt64
    public var storeDegraded: Bool
    public var replicationLagMillis: UInt64
    public var previousModelID: String
    public var migrationWaitingSubjects: UInt64
    /// The Ed25519 key that signs this server's answers (32 bytes; empty when it signs none) and its id.
    public var signingPublicKey: [UInt8] = []
    public var signingKeyID = ""

    public init(serving: Bool, modelID: String, subjects: UInt64, templates: UInt64, storeBytes: UInt64,
                storeDegraded: Bool = false, replicationLagMillis: UInt64 = 0, previousModelID: String = "",
                migrationWaitingSubjects: UInt64 = 0) {
        self.serving = serving
        self.modelID = modelID
        self.subjects = subjects
        self.templates = templates
        self.storeBytes = storeBytes
        self.storeDegraded = storeDegraded
        self.replicationLagMillis = replicationLagMillis
        self.previousModelID = previousModelID
        self.migrationWaitingSubjects = migrationWaitingSubjects
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "HealthResult", strings: [2, 8, 11], unpack: facematch__v1__health_result__unpack,
                                 free: facematch__v1__health_result__free_unpacked) { c in
            var health = HealthResultMessage(serving: c.serving != 0, modelID: swiftString(c.model_id), subjects: c.subjects,
                                             templates: c.templates, storeBytes: c.store_bytes,
                                             storeDegraded: c.store_degraded != 0, replicationLagMillis: c.replication_lag_ms,
                                             previousModelID: swiftString(c.previous_model_id),
                                             migrationWaitingSubjects: c.migration_waiting_subjects)
            health.signingPublicKey = swiftBytes(c.signing_public_key)
            health.signingKeyID = swiftString(c.signing_key_id)
            return health
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__health_result__init)
        c.pointee.serving = serving ? 1 : 0
        c.pointee.model_id = b.string(modelID)
        c.pointee.subjects = subjects
        c.pointee.templates = templates
        c.pointee.store_bytes = storeBytes
        c.pointee.store_degraded = storeDegraded ? 1 : 0
        c.pointee.replication_lag_ms = replicationLagMillis
        c.pointee.previous_model_id = b.string(previousModelID)
        c.pointee.migration_waiting_subjects = migrationWaitingSubjects
        c.pointee.signing_public_key = b.bytes(signingPublicKey)
        c.pointee.signing_key_id = b.string(signingKeyID)
        return packMessage(c, size: facematch__v1__health_result__get_packed_size, pack: facematch__v1__health_result__pack)
    }
}
