import FaceNet
import Foundation
import NIOConcurrencyHelpers
@testable import MatchRPC

/// An `EnrollmentStoring` in a dictionary: namespace → subject → descriptors, each stamped with
/// the time `clock` gave when it was enrolled (retention tests move the clock).
final class InMemoryStore: EnrollmentStoring {
    private struct Stored {
        var vector: [Float]
        var enrolledAt: Date
    }

    private let data = NIOLockedValueBox<[String: [String: [Stored]]]>([:])
    private let closed = NIOLockedValueBox(false)
    private let clock: @Sendable () -> Date
    /// What a replicated store would report (nil: the store is its own system of record).
    let replication: ReplicationStatus?

    init(clock: @escaping @Sendable () -> Date = { Date() }, replication: ReplicationStatus? = nil) {
        self.clock = clock
        self.replication = replication
    }

    var isClosed: Bool { closed.withLockedValue { $0 } }

    func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8], mode: EnrollmentMode) throws -> Int {
        let now = clock()
        return data.withLockedValue { data in
            var subjects = data[namespace, default: [:]]
            var vectors = mode == .replace ? [] : subjects[subject, default: []]
            vectors.append(Stored(vector: vector, enrolledAt: now))
            subjects[subject] = vectors
            data[namespace] = subjects
            return vectors.count
        }
    }

    func bestDistance(namespace: String, subject: String, vector: [Float]) throws -> Double? {
        data.withLockedValue { $0[namespace]?[subject]?.map { descriptorDistance($0.vector, vector) }.min() }
    }

    func enrollmentCount(namespace: String, subject: String) throws -> Int {
        data.withLockedValue { $0[namespace]?[subject]?.count ?? 0 }
    }

    func search(namespace: String, vector: [Float], topK: Int, maxDistance: Double) throws -> [StoreHit] {
        data.withLockedValue { data in
            (data[namespace] ?? [:]).compactMap { subject, vectors -> StoreHit? in
                guard let best = vectors.map({ descriptorDistance($0.vector, vector) }).min(), best <= maxDistance else { return nil }
                return StoreHit(subject: subject, distance: best)
            }
            .sorted { ($0.distance, $0.subject) < ($1.distance, $1.subject) }
            .prefix(topK).map { $0 }
        }
    }

    func delete(namespace: String, subject: String) throws -> Bool {
        data.withLockedValue { $0[namespace]?.removeValue(forKey: subject) != nil }
    }

    func eraseTemplates(namespace: String, enrolledBefore cutoff: Date) throws -> Int {
        data.withLockedValue { data in
            var erased = 0
            for (subject, vectors) in data[namespace] ?? [:] {
                let kept = vectors.filter { $0.enrolledAt >= cutoff }
                erased += vectors.count - kept.count
                data[namespace]?[subject] = kept.isEmpty ? nil : kept
            }
            return erased
        }
    }

    func stats(namespace: String?) throws -> EnrollmentStats {
        data.withLockedValue { data in
            let spaces = namespace.map { [data[$0] ?? [:]] } ?? Array(data.values)
            let subjects = spaces.reduce(0) { $0 + $1.count }
            let vectors = spaces.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } }
            return EnrollmentStats(subjects: subjects, vectors: vectors, bytes: vectors * 512)
        }
    }

    func subjectIDs(namespace: String) throws -> Set<String>? {
        data.withLockedValue { Set(($0[namespace] ?? [:]).keys) }
    }

    func close() throws {
        closed.withLockedValue { $0 = true }
    }
}
