import Foundation
import XCTest
@testable import FaceNet

final class ProcessorCountTests: XCTestCase {
    /// The count is this process's affinity mask, which the kernel also reports as
    /// Cpus_allowed_list in /proc/self/status (e.g. "0-1" or "0,2-3").
    func testCountIsTheAffinityMaskTheKernelReports() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        let list = line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
        let allowed = list.split(separator: ",").reduce(0) { total, range in
            let ends = range.split(separator: "-").compactMap { Int($0) }
            return total + (ends.count == 2 ? ends[1] - ends[0] + 1 : 1)
        }
        XCTAssertEqual(ProcessorCount.available, allowed, "Cpus_allowed_list: \(list)")
    }
}
