import CProtobuf

public struct DeleteEnrollmentRequestMessage: WireMessage, Equatable {
    public var subjectID: String

    public init(subjectID: String) { self.subjectID = subjectID }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "DeleteEnrollmentRequest", strings: [1],
                                 unpack: facematch__v1__delete_enrollment_request__unpack,
                                 free: facematch__v1__delete_enrollment_request__free_unpacked) { c in
            DeleteEnrollmentRequestMessage(subjectID: swiftString(c.subject_id))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__delete_enrollment_request__init)
        c.pointee.subject_id = b.string(subjectID)
        return packMessage(c, size: facematch__v1__delete_enrollment_request__get_packed_size,
                           pack: facematch__v1__delete_enrollment_request__pack)
    }
}
