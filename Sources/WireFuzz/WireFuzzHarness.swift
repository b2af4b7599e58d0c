import NIOCore
import Wire

/// One fuzz input, as a server and a client would meet it: the first byte picks how the rest is
/// cut into reads (1 to 64 bytes each), the rest is the byte stream. Every frame body is decoded
/// as a request (envelope, method, payload) and as every response; whatever decodes must
/// re-encode to bytes that decode to the same bytes again. A violation traps on purpose: in a
/// fuzzer run that is the signal.
enum WireFuzzHarness {
    /// Small enough that libFuzzer's inputs can exceed it and hit the early size check.
    static let maxFrameBytes = 4096

    static func run(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let readSize = Int(first % 64) + 1
        let processor = NIOSingleStepByteToMessageProcessor(FrameDecoder(maxFrameBytes: maxFrameBytes))
        var offset = 1
        do {
            while offset < input.count {
                let end = min(offset + readSize, input.count)
                try processor.process(buffer: ByteBuffer(bytes: input[offset..<end])) { frame in
                    checkFrame(Array(frame.readableBytesView))
                }
                offset = end
            }
            try processor.finishProcessing(seenEOF: true) { frame in checkFrame(Array(frame.readableBytesView)) }
        } catch let error as FrameError {
            _ = error.description
        } catch {
            fatalError("FrameDecoder threw a non-FrameError: \(error)")
        }
    }

    static func checkFrame(_ body: [UInt8]) {
        if let call = try? DecodedCall(frameBody: body) {
            _ = call.rejection
            assertStable(call.envelope.serialized()) { bytes throws(WireDecodeError) in
                try RequestEnvelope(serialized: bytes).serialized()
            }
            if case let .call(_, request) = call {
                assertStable(request.serialized()) { bytes throws(WireDecodeError) in
                    try RPCRequest(method: request.method, payload: bytes).serialized()
                }
            }
        }
        if let response = try? ResponseEnvelope(serialized: body) {
            _ = response.status.name
            assertStable(response.serialized()) { bytes throws(WireDecodeError) in
                try ResponseEnvelope(serialized: bytes).serialized()
            }
        }
        for method in RPCMethod.allCases {
            guard let response = try? RPCResponse(method: method, payload: body) else { continue }
            assertStable(response.serialized()) { bytes throws(WireDecodeError) in
                try RPCResponse(method: method, payload: bytes).serialized()
            }
        }
    }

    /// Our own encoding must decode, and re-encode to the very same bytes.
    private static func assertStable(_ encoded: [UInt8], _ roundTrip: ([UInt8]) throws(WireDecodeError) -> [UInt8]) {
        do {
            guard try roundTrip(encoded) == encoded else { fatalError("re-encoding is not stable") }
        } catch {
            fatalError("our own encoding does not decode: \(error)")
        }
    }
}
