/// What a ciphertext belongs to, bound as AES-GCM additional data so ciphertext moved to another
/// subject, namespace or model fails authentication instead of decrypting.
///
/// Encoding (the AAD bytes): a domain label, then each field as u16 little-endian byte count
/// followed by its UTF-8 bytes. Built once per subject and reused for all of its templates.
public struct SubjectContext: Hashable, Sendable {
    public let namespace: String
    public let subject: String
    /// Length-prefixed namespace and subject.
    let encoded: [UInt8]

    public init(namespace: String, subject: String) {
        self.namespace = namespace
        self.subject = subject
        encoded = lengthPrefixed([namespace, subject])
    }
}

/// A template's context: its subject plus the model that produced the vector.
public struct TemplateContext: Hashable, Sendable {
    public let subject: SubjectContext
    public let modelID: String
    /// "FMTP1" ‖ namespace ‖ subject ‖ model id, each length-prefixed.
    let aad: [UInt8]

    public init(namespace: String, subject: String, modelID: String) {
        self.init(subject: SubjectContext(namespace: namespace, subject: subject), modelID: modelID)
    }

    public init(subject: SubjectContext, modelID: String) {
        self.subject = subject
        self.modelID = modelID
        aad = Array("FMTP1".utf8) + subject.encoded + lengthPrefixed([modelID])
    }
}

func lengthPrefixed(_ fields: [String]) -> [UInt8] {
    var out: [UInt8] = []
    for field in fields {
        let bytes = Array(field.utf8)
        let n = UInt16(clamping: bytes.count)
        out.append(UInt8(n & 0xff))
        out.append(UInt8(n >> 8))
        out.append(contentsOf: bytes.prefix(Int(n)))
    }
    return out
}
