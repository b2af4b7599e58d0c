import Foundation

// WireFuzz: built with scripts/fuzz-wire.sh (-sanitize=fuzzer -DFUZZING) it is a libFuzzer
// binary; in an ordinary build it replays files through the same harness.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count == 2, arguments[0] == "--write-seeds" {
    exit(SeedCorpus.write(to: arguments[1]))
}
#if FUZZING
exit(LibFuzzerDriver.run())
#else
exit(CorpusReplay.run(arguments))
#endif
