import CProtobuf

public struct IdentifyRequestMessage: WireMessage, Equatable {
    public var image: [UInt8]
    /// 0 means the default (5).
    public var topK: UInt32
    public var minScore: Double

    public init(image: [UInt8], topK: UInt32 = 0, minScore: Double = 0) {
        self.image = image
        self.topK = topK
        self.minScore = minScore
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "IdentifyRequest", unpack: facematch__v1__identify_request__unpack,
                                 free: facematch__v1__identify_request__free_unpacked) { c in
            IdentifyRequestMessage(image: swiftBytes(c.image), topK: c.top_k, minScore: c.min_score)
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__identify_request__init)
        c.pointee.image = b.bytes(image)
        c.pointee.top_k = topK
        c.pointee.min_score = minScore
        return packMessage(c, size: facematch__v1__identify_request__get_packed_size, pack: facematch__v1__identify_request__pack)
    }
}
