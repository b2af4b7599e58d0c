import CProtobuf

public struct EnrollResultMessage: WireMessage, Equatable {
    public var subjectID: String
    public var enrolled: Bool
    public var face: FaceMessage?
    public var facesDetected: UInt32
    public var enrollmentCount: UInt32
    public var warnings: [WarningMessage]
    public var vendorData: [UInt8]
    public var info: CallInfoMessage?

    public init(subjectID: String, enrolled: Bool, face: FaceMessage?, facesDetected: UInt32, enrollmentCount: UInt32,
                warnings: [WarningMessage], vendorData: [UInt8], info: CallInfoMessage?) {
        self.subjectID = subjectID
        self.enrolled = enrolled
        self.face = face
        self.facesDetected = facesDetected
        self.enrollmentCount = enrollmentCount
        self.warnings = warnings
        self.vendorData = vendorData
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "EnrollResult", strings: [1], unpack: facematch__v1__enroll_result__unpack,
                                 free: facematch__v1__enroll_result__free_unpacked) { c in
            EnrollResultMessage(subjectID: swiftString(c.subject_id), enrolled: c.enrolled != 0,
                                face: FaceMessage.optional(c.face), facesDetected: c.faces_detected,
                                enrollmentCount: c.enrollment_count, warnings: warningMessages(c.warnings, count: c.n_warnings),
                                vendorData: swiftBytes(c.vendor_data), info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__enroll_result__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.enrolled = enrolled ? 1 : 0
        c.pointee.face = face?.build(b)
        c.pointee.faces_detected = facesDetected
        c.pointee.enrollment_count = enrollmentCount
        (c.pointee.n_warnings, c.pointee.warnings) = warnings.build(b)
        c.pointee.vendor_data = b.bytes(vendorData)
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__enroll_result__get_packed_size, pack: facematch__v1__enroll_result__pack)
    }
}
