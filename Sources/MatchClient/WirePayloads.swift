import Foundation

/// Request payloads out, response payloads in.
enum WirePayloads {
    private static func encode(_ value: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: value)) ?? Data())
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ payload: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(payload))
        } catch {
            throw MatchClientError.malformedResponse("\(error)")
        }
    }

    static func compare(source: [UInt8], target: [UInt8], vendorData: String) -> [UInt8] {
        encode(["source_image": Data(source).base64EncodedString(), "target_image": Data(target).base64EncodedString(),
                "vendor_data": vendorData])
    }

    static func enroll(subject: String, image: [UInt8], vendorData: String, replace: Bool) -> [UInt8] {
        encode(["subject_id": subject, "image": Data(image).base64EncodedString(), "vendor_data": vendorData, "replace": replace])
    }

    static func verify(subject: String, image: [UInt8], vendorData: String) -> [UInt8] {
        encode(["subject_id": subject, "image": Data(image).base64EncodedString(), "vendor_data": vendorData])
    }

    static func identify(image: [UInt8], topK: Int, minScore: Double) -> [UInt8] {
        encode(["image": Data(image).base64EncodedString(), "top_k": topK, "min_score": minScore])
    }

    static func delete(subject: String) -> [UInt8] { encode(["subject_id": subject]) }
    static func health() -> [UInt8] { encode([:]) }

    static func report(_ payload: [UInt8]) throws -> Report { try decode(Report.self, payload) }
    static func enrollResult(_ payload: [UInt8]) throws -> EnrollResult { try decode(EnrollResult.self, payload) }
    static func identifyResult(_ payload: [UInt8]) throws -> IdentifyResult { try decode(IdentifyResult.self, payload) }
    static func deleteResult(_ payload: [UInt8]) throws -> DeleteResult { try decode(DeleteResult.self, payload) }
    static func healthResult(_ payload: [UInt8]) throws -> HealthResult { try decode(HealthResult.self, payload) }
}
