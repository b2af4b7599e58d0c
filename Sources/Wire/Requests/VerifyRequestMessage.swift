import CProtobuf

public struct VerifyRequestMessage: WireMessage, Equatable {
    public var subjectID: String
    public var image: [UInt8]
    public var vendorData: [UInt8]

    public init(subjectID: String, image: [UInt8], vendorData: [UInt8] = []) {
        self.subjectID = subjectID
        self.image = image
        self.vendorData = vendorData
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "VerifyRequest", strings: [1], unpack: facematch__v1__verify_request__unpack,
                                 free: facematch__v1__verify_request__free_unpacked) { c in
            VerifyRequestMessage(subjectID: swiftString(c.subject_id), image: swiftBytes(c.image),
                                 vendorData: swiftBytes(c.vendor_data))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__verify_request__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.image = b.bytes(image)
        c.pointee.vendor_data = b.bytes(vendorData)
        return packMessage(c, size: facematch__v1__verify_request__get_packed_size, pack: facematch__v1__verify_request__pack)
    }
}
