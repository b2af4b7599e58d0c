/// A serialized protobuf message the wire carries. Decoding never trusts the bytes: anything
/// protobuf-c refuses, or a string that is not NUL-free UTF-8, is a `WireDecodeError`.
public protocol WireMessage: Sendable {
    init(serialized bytes: [UInt8]) throws(WireDecodeError)
    func serialized() -> [UInt8]
}
