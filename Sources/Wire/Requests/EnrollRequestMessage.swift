import CProtobuf

public enum WireEnrollMode: UInt32, Sendable {
    case append = 0
    case replace = 1
}

public struct EnrollRequestMessage: WireMessage, Equatable {
    public var subjectID: String
    public var image: [UInt8]
    public var vendorData: [UInt8]
    public var mode: WireEnrollMode

    public init(subjectID: String, image: [UInt8], vendorData: [UInt8] = [], mode: WireEnrollMode = .append) {
        self.subjectID = subjectID
        self.image = image
        self.vendorData = vendorData
        self.mode = mode
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "EnrollRequest", strings: [1], unpack: facematch__v1__enroll_request__unpack,
                                 free: facematch__v1__enroll_request__free_unpacked) { c throws(WireDecodeError) in
            guard let mode = WireEnrollMode(rawValue: c.mode.rawValue) else {
                throw .invalidField("unknown enrol mode \(c.mode.rawValue)")
            }
            return EnrollRequestMessage(subjectID: swiftString(c.subject_id), image: swiftBytes(c.image),
                                        vendorData: swiftBytes(c.vendor_data), mode: mode)
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__enroll_request__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.image = b.bytes(image)
        c.pointee.vendor_data = b.bytes(vendorData)
        c.pointee.mode = Facematch__V1__EnrollMode(rawValue: mode.rawValue)
        return packMessage(c, size: facematch__v1__enroll_request__get_packed_size, pack: facematch__v1__enroll_request__pack)
    }
}
