import NIOCore
import Wire

/// One fuzz input, as a server and a client would meet it: the first byte picks how the rest is
/// cut into reads (1 to 64 bytes each), the rest is the byte stream. Every frame body is read as
/// the server reads it (`RequestEnvelopeView`, then the payload as the method's request) and
/// as every response; the server's envelope reader must agree with protobuf-c wherever
/// protobuf-c accepts the envelope, and whatever decodes must re-encode to bytes that decode to
/// the same bytes again. A violation traps on purpose: in a fuzzer run that is the signal.
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
        checkServerRead(body)
        if let envelope = try? RequestEnvelope(serialized: body) {
            assertStable(envelope.serialized()) { bytes throws(WireDecodeError) in
                try RequestEnvelope(serialized: bytes).serialized()
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

    /// The server's path: the envelope view (which must agree with protobuf-c), then the payload.
    private static func checkServerRead(_ body: [UInt8]) {
        let view: RequestEnvelopeView
        do {
            view = try RequestEnvelopeView(frame: ByteBuffer(bytes: body))
        } catch {
            _ = error.description
            _ = error.callID
            return
        }
        if let reference = try? RequestEnvelope(serialized: body) {
            guard reference.callID == view.callID, reference.methodName == view.methodName, reference.apiKey == view.apiKey,
                  reference.timeoutMillis == view.timeoutMillis, reference.payload == Array(view.payload.readableBytesView)
            else { fatalError("the server's envelope reader disagrees with protobuf-c") }
        }
        guard let method = view.method,
              let request = try? RPCRequest(method: method, payload: Array(view.payload.readableBytesView)) else { return }
        assertStable(request.serialized()) { bytes throws(WireDecodeError) in
            try RPCRequest(method: request.method, payload: bytes).serialized()
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
