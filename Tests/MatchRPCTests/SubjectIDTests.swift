import EmbeddingStore
import Foundation
import XCTest
@testable import MatchRPC

/// Subject ids are exact UTF-8 bytes everywhere: an id the service accepts can always be found
/// again, two ids that differ in any byte are two subjects, and control or format characters
/// (which display as nothing, or as something else) are refused with the character named.
final class SubjectIDTests: RealStoreTestCase {
    private let shop = Application(id: "shop", keyDigest: APIKeyDigest(key: "s"))

    func testControlAndFormatCharactersAreRefusedByName() throws {
        let service = try service()
        let cases: [(String, String)] = [
            ("bb\u{0085}x", "control characters: U+0085 at byte 2"),
            ("a\u{0}b", "control characters: U+0000 at byte 1"),
            ("tab\there", "control characters: U+0009 at byte 3"),
            ("zero\u{200B}width", "format characters: U+200B at byte 4"),
            ("\u{202E}evil", "format characters: U+202E at byte 0"),
            ("é\u{FEFF}", "format characters: U+FEFF at byte 2"),
        ]
        for (subject, expected) in cases {
            XCTAssertThrowsError(try service.enroll(subject: subject, image: fakeImage("face:1"), vendorData: [], mode: .append,
                                                    for: shop, analyzers: .uniform(analyzer))) { error in
                guard case .invalidArgument(let message)? = error as? ServiceError else { return XCTFail("\(error)") }
                XCTAssertTrue(message.hasSuffix(expected), "\(message) should end with \(expected)")
            }
        }
        XCTAssertEqual(try service.store.stats(namespace: nil).subjects, 0, "nothing refused was stored")
    }

    func testCanonicallyEquivalentIdsAreDifferentSubjects() throws {
        let service = try service()
        let composed = "caf\u{E9}"        // é as one scalar
        let decomposed = "cafe\u{301}"    // e + combining acute: == in Swift, other bytes on the wire
        XCTAssertEqual(composed, decomposed, "Swift's String == would merge them")
        _ = try service.enroll(subject: composed, image: fakeImage("face:1"), vendorData: [], mode: .append, for: shop,
                               analyzers: .uniform(analyzer))
        XCTAssertEqual(try service.verify(subject: decomposed, image: fakeImage("face:1"), for: shop, analyzers: .uniform(analyzer))
            .warnings.first?.risk, .noReferenceImage)
        XCTAssertThrowsError(try service.delete(subject: decomposed, for: shop))
        try service.delete(subject: composed, for: shop)
    }

    /// nil when the enrolment was accepted, else the service's error.
    private func enrollRefusal(_ service: MatchService, subject: String, image: String) -> ServiceError? {
        do {
            _ = try service.enroll(subject: subject, image: fakeImage(image), vendorData: [], mode: .replace, for: shop,
                                   analyzers: .uniform(analyzer))
            return nil
        } catch {
            return error
        }
    }

    /// Property: any id the service accepts round-trips enroll → verify → identify → delete.
    func testEveryAcceptedIdRoundTrips() throws {
        let service = try service()
        var generator = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["SUBJECT_SEED"] ?? "") ?? 2026)
        // Scalars from every plane and category, controls and formats included (those must be refused).
        let ranges: [ClosedRange<UInt32>] = [0x0...0x7F, 0x80...0x24F, 0x300...0x36F, 0x2000...0x206F,
                                             0x4E00...0x4E80, 0xFE00...0xFEFF, 0x1F300...0x1F6FF, 0xE0000...0xE007F]
        var accepted = 0
        for round in 0..<400 {
            let length = 1 + Int(generator.next() % 12)
            var subject = ""
            for _ in 0..<length {
                let range = ranges[Int(generator.next() % UInt64(ranges.count))]
                let value = range.lowerBound + UInt32(generator.next() % UInt64(range.count))
                if let scalar = Unicode.Scalar(value) { subject.unicodeScalars.append(scalar) }
            }
            guard !subject.isEmpty else { continue }
            let axis = round % 120
            let refusal = enrollRefusal(service, subject: subject, image: "face:\(axis)")
            if refusal != nil {
                let refusedForAReason = subject.unicodeScalars.contains {
                    [.control, .format].contains($0.properties.generalCategory)
                } || subject.utf8.count > MatchService.maxSubjectBytes
                XCTAssertTrue(refusedForAReason, "refused without a reason: \(subject.unicodeScalars.map { $0.value })")
                continue
            }
            accepted += 1
            let seedNote = "id scalars \(subject.unicodeScalars.map { String($0.value, radix: 16) })"
            XCTAssertEqual(try service.verify(subject: subject, image: fakeImage("face:\(axis)"), for: shop, analyzers: .uniform(analyzer))
                .status, .approved, seedNote)
            let found = try service.identify(image: fakeImage("face:\(axis)"), topK: 1, minScore: 90, for: shop,
                                             analyzers: .uniform(analyzer))
            XCTAssertTrue(found.candidates.first.map { Array($0.subject.utf8) == Array(subject.utf8) } ?? false, seedNote)
            try service.delete(subject: subject, for: shop)
            XCTAssertEqual(try service.store.enrollmentCount(namespace: shop.namespace, subject: subject), 0, seedNote)
        }
        XCTAssertGreaterThan(accepted, 100, "the generator must produce mostly acceptable ids")
    }
}
