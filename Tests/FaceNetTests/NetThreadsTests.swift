import Foundation
import XCTest
@testable import FaceNet

/// Written by one thread before a semaphore signal, read by another after the wait.
private final class Box: @unchecked Sendable { var value = 0 }

final class NetThreadsTests: XCTestCase {
    /// omp_set_num_threads changes only the calling thread's count (libgomp's per-thread ICV), so a
    /// one-thread worker and a two-thread caller do not disturb each other.
    func testThreadCountIsPerCallingThread() throws {
        // Debian's libdnnl (scripts/setup.sh) runs on libgomp; without it workers would share one count.
        guard NetEngine.threadControlAvailable else {
            return XCTFail("oneDNN without libgomp: per-worker thread counts unavailable")
        }
        OpenMPThreads.set(3)
        let done = DispatchSemaphore(value: 0)
        let workerSaw = Box()
        let worker = Thread {
            OpenMPThreads.set(1)
            workerSaw.value = OpenMPThreads.current
            done.signal()
        }
        worker.start()
        done.wait()
        XCTAssertEqual(workerSaw.value, 1)
        XCTAssertEqual(OpenMPThreads.current, 3, "the worker's setting leaked into this thread")
        OpenMPThreads.set(ProcessorCount.available)
    }

    func testOneAndTwoThreadEmbeddersAgree() throws {
        let model = try EmbedTestSupport.model()
        let chip = try EmbedTestSupport.loadRGB(EmbedTestSupport.referenceDirectory.appendingPathComponent("biden_chip.png"))
        let one = try FaceEmbedder(model: model, threads: 1).embed(chip: chip)
        let two = try FaceEmbedder(model: model, threads: 2).embed(chip: chip)
        XCTAssertEqual(one.count, 128)
        for (a, b) in zip(one, two) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }
}
