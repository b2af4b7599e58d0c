import CProtobuf

public struct HealthRequestMessage: WireMessage, Equatable {
    public init() {}

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "HealthRequest", unpack: facematch__v1__health_request__unpack,
                                 free: facematch__v1__health_request__free_unpacked) { _ in HealthRequestMessage() }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__health_request__init)
        return packMessage(c, size: facematch__v1__health_request__get_packed_size, pack: facematch__v1__health_request__pack)
    }
}
