import CProtobuf

public struct IdentifyResultMessage: WireMessage, Equatable {
    public var candidates: [CandidateMessage]
    public var face: FaceMessage?
    public var warnings: [WarningMessage]
    public var info: CallInfoMessage?

    public init(candidates: [CandidateMessage], face: FaceMessage?, warnings: [WarningMessage], info: CallInfoMessage?) {
        self.candidates = candidates
        self.face = face
        self.warnings = warnings
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "IdentifyResult", unpack: facematch__v1__identify_result__unpack,
                                 free: facematch__v1__identify_result__free_unpacked) { c throws(WireDecodeError) in
            let candidates = try swiftArray(c.candidates, count: c.n_candidates) { k in
                CandidateMessage(subjectID: swiftString(k.subject_id), score: k.score, distance: k.distance)
            }
            return IdentifyResultMessage(candidates: candidates, face: FaceMessage.optional(c.face),
                                         warnings: warningMessages(c.warnings, count: c.n_warnings),
                                         info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__identify_result__init)
        let list = candidates.map { k -> UnsafeMutablePointer<Facematch__V1__Candidate> in
            let p = b.message(facematch__v1__candidate__init)
            p.pointee.subject_id = b.string(k.subjectID)
            p.pointee.score = k.score
            p.pointee.distance = k.distance
            return p
        }
        c.pointee.n_candidates = list.count
        c.pointee.candidates = b.array(list)
        c.pointee.face = face?.build(b)
        (c.pointee.n_warnings, c.pointee.warnings) = warnings.build(b)
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__identify_result__get_packed_size, pack: facematch__v1__identify_result__pack)
    }
}
