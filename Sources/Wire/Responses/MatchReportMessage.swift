import CProtobuf

public struct MatchReportMessage: WireMessage, Equatable {
    public var status: WireMatchStatus
    public var score: Double
    /// nil when either side had no usable face.
    public var distance: Double?
    public var warnings: [WarningMessage]
    public var sourceFace: FaceMessage?
    public var targetFace: FaceMessage?
    public var vendorData: [UInt8]
    public var info: CallInfoMessage?

    public init(status: WireMatchStatus, score: Double, distance: Double?, warnings: [WarningMessage],
                sourceFace: FaceMessage?, targetFace: FaceMessage?, vendorData: [UInt8], info: CallInfoMessage?) {
        self.status = status
        self.score = score
        self.distance = distance
        self.warnings = warnings
        self.sourceFace = sourceFace
        self.targetFace = targetFace
        self.vendorData = vendorData
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "MatchReport", unpack: facematch__v1__match_report__unpack,
                                 free: facematch__v1__match_report__free_unpacked) { c in
            MatchReportMessage(status: WireMatchStatus(rawValue: c.status.rawValue) ?? .unspecified, score: c.score,
                               distance: c.distance_present != 0 ? c.distance : nil,
                               warnings: warningMessages(c.warnings, count: c.n_warnings),
                               sourceFace: FaceMessage.optional(c.source_face), targetFace: FaceMessage.optional(c.target_face),
                               vendorData: swiftBytes(c.vendor_data), info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__match_report__init)
        c.pointee.status = Facematch__V1__MatchStatus(rawValue: status.rawValue)
        c.pointee.score = score
        c.pointee.distance = distance ?? 0
        c.pointee.distance_present = distance == nil ? 0 : 1
        (c.pointee.n_warnings, c.pointee.warnings) = warnings.build(b)
        c.pointee.source_face = sourceFace?.build(b)
        c.pointee.target_face = targetFace?.build(b)
        c.pointee.vendor_data = b.bytes(vendorData)
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__match_report__get_packed_size, pack: facematch__v1__match_report__pack)
    }
}

public enum WireMatchStatus: UInt32, Sendable {
    case unspecified = 0, approved = 1, inReview = 2, declined = 3
}
