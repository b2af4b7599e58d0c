import Foundation
import NIOCore

/// The typed calls. Payloads are built and read by `WirePayloads`.
extension MatchClient {
    public func compare(source: [UInt8], target: [UInt8], vendorData: String = "",
                        timeout: TimeAmount? = MatchClient.defaultTimeout) async throws -> Report {
        let payload = try await call(method: "Compare", payload: WirePayloads.compare(source: source, target: target, vendorData: vendorData),
                                     timeout: timeout)
        return try WirePayloads.report(payload)
    }

    public func enroll(subject: String, image: [UInt8], vendorData: String = "", replace: Bool = false,
                       timeout: TimeAmount? = MatchClient.defaultTimeout) async throws -> EnrollResult {
        let payload = try await call(method: "Enroll", payload: WirePayloads.enroll(subject: subject, image: image,
                                                                                   vendorData: vendorData, replace: replace),
                                     timeout: timeout)
        return try WirePayloads.enrollResult(payload)
    }

    public func verify(subject: String, image: [UInt8], vendorData: String = "",
                       timeout: TimeAmount? = MatchClient.defaultTimeout) async throws -> Report {
        let payload = try await call(method: "Verify", payload: WirePayloads.verify(subject: subject, image: image, vendorData: vendorData),
                                     timeout: timeout)
        return try WirePayloads.report(payload)
    }

    public func identify(image: [UInt8], topK: Int = 10, minScore: Double = 50,
                         timeout: TimeAmount? = MatchClient.defaultTimeout) async throws -> IdentifyResult {
        let payload = try await call(method: "Identify", payload: WirePayloads.identify(image: image, topK: topK, minScore: minScore),
                                     timeout: timeout)
        return try WirePayloads.identifyResult(payload)
    }

    public func deleteEnrollment(subject: String, timeout: TimeAmount? = MatchClient.defaultTimeout) async throws -> DeleteResult {
        let payload = try await call(method: "DeleteEnrollment", payload: WirePayloads.delete(subject: subject), timeout: timeout)
        return try WirePayloads.deleteResult(payload)
    }

    public func health(timeout: TimeAmount? = MatchClient.defaultTimeout) async throws -> HealthResult {
        let payload = try await call(method: "Health", payload: WirePayloads.health(), timeout: timeout)
        return try WirePayloads.healthResult(payload)
    }
}
