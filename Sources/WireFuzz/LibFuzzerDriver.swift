#if FUZZING
/// libFuzzer's driver (compiler-rt, linked by `-sanitize=fuzzer`). Calling it from our own
/// `main` instead of using libFuzzer's `main` keeps this an ordinary SwiftPM executable.
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

enum LibFuzzerDriver {
    static func run() -> CInt {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        return llvmFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data, size > 0 else { return 0 }
            WireFuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
    }
}
#endif
