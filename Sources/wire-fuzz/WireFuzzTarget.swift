import NIOCore
import Wire

/// One fuzz input: fed to the frame decoder in chunks whose sizes come from the input itself, and
/// every frame body that comes out through every message decoder. Nothing may trap.
func fuzzWire(_ data: UnsafeRawBufferPointer) {
    guard let first = data.first else { return }
    let chunk = Int(first % 16) + 1
    var buffer = ByteBuffer()
    var offset = 1
    while offset < data.count {
        let end = min(offset + chunk, data.count)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: data[offset..<end]))
        offset = end
        while let frame = try? FrameDecoder.nextFrame(from: &buffer, maxFrameBytes: 1 << 16) {
            decodeEverything(Array(frame.readableBytesView))
        }
    }
    decodeEverything(Array(UnsafeRawBufferPointer(rebasing: data[1...])))
}

private func decodeEverything(_ bytes: [UInt8]) {
    if let envelope = try? RequestEnvelope(serialized: bytes) { _ = envelope.serialized() }
    if let envelope = try? ResponseEnvelope(serialized: bytes) { _ = envelope.serialized() }
    _ = try? CompareRequestMessage(serialized: bytes)
    _ = try? EnrollRequestMessage(serialized: bytes)
    _ = try? VerifyRequestMessage(serialized: bytes)
    _ = try? IdentifyRequestMessage(serialized: bytes)
    _ = try? DeleteEnrollmentRequestMessage(serialized: bytes)
    if let report = try? MatchReportMessage(serialized: bytes) { _ = report.serialized() }
    if let result = try? EnrollResultMessage(serialized: bytes) { _ = result.serialized() }
    if let result = try? IdentifyResultMessage(serialized: bytes) { _ = result.serialized() }
    _ = try? HealthResultMessage(serialized: bytes)
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
public func wireFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let start else { return 0 }
    fuzzWire(UnsafeRawBufferPointer(start: start, count: size))
    return 0
}

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer's driver.
@_cdecl("wire_fuzz_main")
func wireFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, wireFuzzerTestOneInput)
}
#endif
