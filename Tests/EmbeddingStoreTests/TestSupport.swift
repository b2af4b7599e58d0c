import Atomics
import Foundation
import XCTest
@testable import EmbeddingStore

/// The master key of every store these tests open (fixed, so reopening finds the same key).
let testMasterKey = MasterKey(bytes: Array(repeating: 0x5a, count: 32))!

/// A fresh directory under the system temp dir, removed by `cleanup`.
func makeTempDirectory(_ tag: String = "store") -> String {
    let path = NSTemporaryDirectory() + "fm-\(tag)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func cleanup(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// The seed of a randomised test: FACEMATCH_TEST_SEED when set (to replay a failure), else
/// `fallback`. Failure messages carry `TestSeed.note(seed)` so the run can be reproduced.
enum TestSeed {
    static func value(fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["FACEMATCH_TEST_SEED"].flatMap { UInt64($0) } ?? fallback
    }

    static func note(_ seed: UInt64) -> String { "replay with FACEMATCH_TEST_SEED=\(seed)" }
}

struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A unit-length random vector, like a face descriptor.
func randomUnitVector(_ dim: Int = 128, rng: inout TestRNG) -> [Float] {
    var v = (0..<dim).map { _ in Float.random(in: -1...1, using: &rng) }
    let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    for i in v.indices { v[i] /= n }
    return v
}

func l2(_ a: [Float], _ b: [Float]) -> Float {
    var s: Float = 0
    for i in a.indices { s += (a[i] - b[i]) * (a[i] - b[i]) }
    return s.squareRoot()
}

/// All regular files of a directory tree.
func allFiles(under root: String) -> [String] {
    let e = FileManager.default.enumerator(atPath: root)
    var out: [String] = []
    while let f = e?.nextObject() as? String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + "/" + f, isDirectory: &isDir), !isDir.boolValue { out.append(root + "/" + f) }
    }
    return out.sorted()
}

/// The bytes of one slot's sealed record in a namespace's slab file.
func sealedRecord(_ dir: String, namespace: String = "n", generation: Int = 1, slot: Int, dimension: Int = 128) -> [UInt8] {
    let format = SlabFormat(dimension: dimension)
    let bytes = [UInt8](FileManager.default.contents(atPath: dir + "/namespaces/\(namespace)/slab.\(generation)") ?? Data())
    let start = format.sealedOffset(slot)
    guard start + format.sealedStride <= bytes.count else { return [] }
    return Array(bytes[start..<(start + format.sealedStride)])
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    !needle.isEmpty && Data(haystack).range(of: Data(needle)) != nil
}

/// Wraps the real file I/O and fails chosen operations with a chosen errno when armed.
final class FaultyFileIO: FileIO, @unchecked Sendable {
    let real = PosixFileIO()
    let armed = ManagedAtomic<Bool>(false)
    let failWrites: Bool
    let failSyncs: Bool
    let failCreates: Bool
    let errnoValue: Int32
    /// When set, only writes to paths containing this string fail.
    let onlyPath: String?

    init(failWrites: Bool = false, failSyncs: Bool = false, failCreates: Bool = false, errno: Int32 = ENOSPC, onlyPath: String? = nil) {
        self.onlyPath = onlyPath
        self.failWrites = failWrites
        self.failSyncs = failSyncs
        self.failCreates = failCreates
        self.errnoValue = errno
    }

    private var on: Bool { armed.load(ordering: .acquiring) }

    func openFile(_ path: String, create: Bool) throws(StoreError) -> Int32 {
        if on && failCreates && create { throw .io(operation: "open", path: path, errno: errnoValue) }
        return try real.openFile(path, create: create)
    }
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws(StoreError) {
        if on && failWrites && (onlyPath.map { path.contains($0) } ?? true) {
            // A full disk typically accepts part of a write first.
            try real.write(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count / 2)]), at: offset, path: path)
            throw .io(operation: "write", path: path, errno: errnoValue)
        }
        try real.write(fd, bytes, at: offset, path: path)
    }
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(StoreError) -> Int {
        try real.read(fd, into: buffer, at: offset, path: path)
    }
    func sync(_ fd: Int32, path: String) throws(StoreError) {
        if on && failSyncs { throw .io(operation: "fdatasync", path: path, errno: errnoValue) }
        try real.sync(fd, path: path)
    }
    func truncate(_ fd: Int32, to size: Int, path: String) throws(StoreError) { try real.truncate(fd, to: size, path: path) }
    func size(_ fd: Int32, path: String) throws(StoreError) -> Int { try real.size(fd, path: path) }
    func close(_ fd: Int32) { real.close(fd) }
    func rename(_ from: String, to: String) throws(StoreError) {
        if on && failCreates { throw .io(operation: "rename", path: from, errno: errnoValue) }
        try real.rename(from, to: to)
    }
    func remove(_ path: String) throws(StoreError) { try real.remove(path) }
    func makeDirectory(_ path: String) throws(StoreError) {
        if on && failCreates && !FileManager.default.fileExists(atPath: path) { throw .io(operation: "mkdir", path: path, errno: errnoValue) }
        try real.makeDirectory(path)
    }
    func syncDirectory(_ path: String) throws(StoreError) { try real.syncDirectory(path) }
    func listDirectory(_ path: String) throws(StoreError) -> [String] { try real.listDirectory(path) }
}
