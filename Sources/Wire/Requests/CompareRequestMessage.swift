import CProtobuf

public struct CompareRequestMessage: WireMessage, Equatable {
    public var sourceImage: [UInt8]
    public var targetImage: [UInt8]
    public var vendorData: [UInt8]

    public init(sourceImage: [UInt8], targetImage: [UInt8], vendorData: [UInt8] = []) {
        self.sourceImage = sourceImage
        self.targetImage = targetImage
        self.vendorData = vendorData
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "CompareRequest", unpack: facematch__v1__compare_request__unpack,
                                 free: facematch__v1__compare_request__free_unpacked) { c in
            CompareRequestMessage(sourceImage: swiftBytes(c.source_image), targetImage: swiftBytes(c.target_image),
                                  vendorData: swiftBytes(c.vendor_data))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__compare_request__init)
        c.pointee.source_image = b.bytes(sourceImage)
        c.pointee.target_image = b.bytes(targetImage)
        c.pointee.vendor_data = b.bytes(vendorData)
        return packMessage(c, size: facematch__v1__compare_request__get_packed_size, pack: facematch__v1__compare_request__pack)
    }
}
