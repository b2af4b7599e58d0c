/// Every failure the store reports. Cases carry the numbers that explain them.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The directory was created for another embedding dimension.
    case dimensionMismatch(expected: Int, found: Int)
    /// The directory was created for another embedding model.
    case modelMismatch(expected: String, found: String)
    /// A dimension outside 1...4096 was requested.
    case invalidDimension(Int)
    /// Model ids are 1...128 UTF-8 bytes.
    case invalidModelID(byteCount: Int)
    /// Namespace names are 1...64 characters of [A-Za-z0-9._-] and do not start with '.'.
    case invalidNamespace(String)
    /// Subject ids are 1...128 UTF-8 bytes.
    case invalidSubject(byteCount: Int)
    /// A vector had the wrong length.
    case vectorLength(expected: Int, found: Int)
    /// A vector held NaN or infinity at `index`.
    case nonFiniteVector(index: Int)
    /// vendor_data is limited to 256 bytes.
    case vendorDataTooLarge(byteCount: Int)
    /// topK must be in 1...1000.
    case invalidTopK(Int)
    /// The namespace reached the template capacity chosen at open.
    case capacityExceeded(limit: Int)
    /// A file of the store is not in a format this code understands.
    case corruptHeader(file: String, reason: String)
    /// A system call failed; `errno` is the raw error number (ENOSPC = 28, EROFS = 30, EACCES = 13).
    case io(operation: String, path: String, errno: Int32)
    /// A write could not be rolled back; the namespace refuses writes until the store is reopened.
    case needsReopen(namespace: String)
    /// `openExisting` found no store (no STORE file) in the directory.
    case notAStore(directory: String)
    /// No master key was given (`StoreOptions.masterKey`); templates are only stored encrypted.
    case masterKeyRequired
    /// The namespace's data keys are wrapped under another master key (ids in hex).
    case wrongMasterKey(file: String, expected: String, found: String)
    /// A slab of plaintext templates (format 1) where only sealed ones may be; opening a namespace
    /// migrates its plaintext generation instead (PlaintextMigration).
    case plaintextStore(file: String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(e, f): return "store dimension is \(f), expected \(e)"
        case let .modelMismatch(e, f): return "store model id is '\(f)', expected '\(e)'"
        case let .invalidDimension(d): return "dimension \(d) is outside 1...4096"
        case let .invalidModelID(n): return "model id has \(n) UTF-8 bytes, allowed 1...128"
        case let .invalidNamespace(n): return "namespace '\(n)' is not 1...64 of [A-Za-z0-9._-] without leading '.'"
        case let .invalidSubject(n): return "subject id has \(n) UTF-8 bytes, allowed 1...128"
        case let .vectorLength(e, f): return "vector has \(f) values, expected \(e)"
        case let .nonFiniteVector(i): return "vector value at index \(i) is not finite"
        case let .vendorDataTooLarge(n): return "vendor_data has \(n) bytes, allowed 0...256"
        case let .invalidTopK(k): return "topK \(k) is outside 1...1000"
        case let .capacityExceeded(l): return "namespace holds its maximum of \(l) template slots; compact or reopen with a larger capacity"
        case let .corruptHeader(file, reason): return "\(file): \(reason)"
        case let .io(op, path, e): return "\(op) \(path) failed with errno \(e)"
        case let .needsReopen(ns): return "namespace '\(ns)' saw an unrecoverable write failure; reopen the store"
        case let .notAStore(d): return "\(d) holds no store (no STORE file)"
        case .masterKeyRequired: return "a master key is required: templates are stored only encrypted (--master-key-file)"
        case let .wrongMasterKey(file, e, f):
            return "\(file): data keys are wrapped under master key \(f), the given master key is \(e)"
        case let .plaintextStore(file):
            return "\(file) holds plaintext templates (store format 1); encrypt it with `facematch store encrypt --data DIR --master-key-file FILE`"
        }
    }
}
