import CProtobuf

public struct DeleteEnrollmentResultMessage: WireMessage, Equatable {
    public var subjectID: String
    public var deleted: Bool
    public var info: CallInfoMessage?

    public init(subjectID: String, deleted: Bool, info: CallInfoMessage?) {
        self.subjectID = subjectID
        self.deleted = deleted
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "DeleteEnrollmentResult", strings: [1],
                                 unpack: facematch__v1__delete_enrollment_result__unpack,
                                 free: facematch__v1__delete_enrollment_result__free_unpacked) { c in
            DeleteEnrollmentResultMessage(subjectID: swiftString(c.subject_id), deleted: c.deleted != 0,
                                          info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__delete_enrollment_result__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.deleted = deleted ? 1 : 0
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__delete_enrollment_result__get_packed_size,
                           pack: facematch__v1__delete_enrollment_result__pack)
    }
}
