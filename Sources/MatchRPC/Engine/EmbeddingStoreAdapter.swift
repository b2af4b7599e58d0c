import EmbeddingStore
import Foundation

/// `EnrollmentStoring` over the memory-mapped `EmbeddingStore`. Store errors caused by the
/// request (bad subject id, oversize vendor_data) become INVALID_ARGUMENT; corrupt files DATA_LOSS.
public struct EmbeddingStoreAdapter: EnrollmentStoring {
    public let store: EmbeddingStore

    public init(store: EmbeddingStore) {
        self.store = store
    }

    public func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8],
                       mode: EnrollmentMode) throws -> Int {
        try mapped {
            try store.enroll(namespace: namespace, subject: subject, vector: vector, vendorData: vendorData,
                             mode: mode == .replace ? .replace : .append)
            return try store.templates(namespace: namespace, subject: subject).count
        }
    }

    public func bestDistance(namespace: String, subject: String, vector: [Float]) throws -> Double? {
        try mapped { try store.verify(namespace: namespace, subject: subject, vector: vector).map(Double.init) }
    }

    public func enrollmentCount(namespace: String, subject: String) throws -> Int {
        try mapped { try store.templates(namespace: namespace, subject: subject).count }
    }

    public func search(namespace: String, vector: [Float], topK: Int, maxDistance: Double) throws -> [StoreHit] {
        try mapped {
            try store.search(namespace: namespace, vector: vector, topK: topK, maxDistance: Float(maxDistance))
                .map { StoreHit(subject: $0.subject, distance: Double($0.distance)) }
        }
    }

    public func delete(namespace: String, subject: String) throws -> Bool {
        try mapped { try store.delete(namespace: namespace, subject: subject) }
    }

    public func stats(namespace: String?) throws -> EnrollmentStats {
        try mapped {
            if let namespace {
                let s = try store.stats(namespace: namespace)
                return EnrollmentStats(subjects: s.subjects, vectors: s.templates, bytes: s.fileBytes)
            }
            let s = store.stats()
            return EnrollmentStats(subjects: s.subjects, vectors: s.templates, bytes: s.fileBytes)
        }
    }

    public func subjectIDs(namespace: String) throws -> Set<String>? {
        try mapped {
            var subjects = Set<String>()
            var page = try store.listSubjects(namespace: namespace, after: nil, limit: Self.listPage)
            while !page.isEmpty {
                subjects.formUnion(page)
                page = try store.listSubjects(namespace: namespace, after: page.last, limit: Self.listPage)
            }
            return subjects
        }
    }

    private static let listPage = 1000

    public func eraseTemplates(namespace: String, enrolledBefore cutoff: Date) throws -> Int {
        try mapped {
            try store.eraseTemplates(namespace: namespace,
                                     createdBefore: Int64((cutoff.timeIntervalSince1970 * 1000).rounded(.down)))
        }
    }

    /// Every enrolment is durable when `enroll` returns (the store syncs each write), so closing
    /// has nothing left to flush; the files are unmapped when the store is released.
    public func close() throws {}

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            switch error {
            case .invalidSubject, .vendorDataTooLarge, .invalidNamespace, .vectorLength, .nonFiniteVector, .invalidTopK:
                throw ServiceError.invalidArgument(error.description)
            case .corruptHeader:
                throw ServiceError.dataLoss(error.description)
            default:
                throw ServiceError.internalError("store: \(error.description)")
            }
        }
    }
}
