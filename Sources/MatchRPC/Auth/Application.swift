/// A caller of the service: its key digest, its decision thresholds, its face model, and its
/// enrolment namespace (always its id, so two applications can never share enrolments).
public struct Application: Sendable, Equatable {
    public let id: String
    public let keyDigest: APIKeyDigest
    public let thresholds: Thresholds
    /// What each configurable warning does to the status (`risk_actions` in the config).
    public let riskActions: RiskActions
    /// The client certificate its calls must come with besides its key (`client_certificate`).
    public let clientCertificate: ClientCertificateBinding?
    /// The model every call of this application runs (`model` in the config).
    public let model: FaceModelID
    /// Whether the config named `model`; an application that did not runs `FaceModelID.serviceDefault`
    /// and is refused if its namespace holds another model's templates (`DefaultModelUpgrade`).
    public let modelIsExplicit: Bool
    /// The model whose templates Verify falls back to for subjects not yet enrolled with `model`
    /// (`previous_model`; docs/service.md, "Changing an application's model").
    public let previousModel: FaceModelID?
    /// Templates older than this many days are erased by the retention sweep; nil keeps them
    /// until deleted (`retention_days` in the config).
    public let retentionDays: Int?

    public var namespace: String { id }

    public init(id: String, keyDigest: APIKeyDigest, thresholds: Thresholds = .default, riskActions: RiskActions = .default,
                clientCertificate: ClientCertificateBinding? = nil,
                model: FaceModelID? = nil, previousModel: FaceModelID? = nil,
                retentionDays: Int? = nil) {
        self.id = id
        self.keyDigest = keyDigest
        self.thresholds = thresholds
        self.riskActions = riskActions
        self.clientCertificate = clientCertificate
        self.model = model ?? .serviceDefault
        self.modelIsExplicit = model != nil
        self.previousModel = previousModel
        self.retentionDays = retentionDays
    }

    /// The models this application's calls may run.
    public var models: [FaceModelID] { [model] + (previousModel.map { [$0] } ?? []) }

    /// The retention limits a config may set: at least a month, at most ten years.
    public static let retentionDaysRange = 30...3650

    /// Ids are used as store namespaces and in metrics labels: keep them to a safe alphabet.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }
    }
}
