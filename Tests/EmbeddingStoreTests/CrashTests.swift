import Foundation
import XCTest
@testable import EmbeddingStore

/// Kills a child process that enrols, replaces and deletes continuously (Sources/store-torture)
/// with SIGKILL at random moments, then checks that the store holds exactly the acknowledged
/// state, or that state plus the one operation in flight, with every template intact.
final class CrashTests: XCTestCase {
    /// The child's deterministic template vectors (same generator as Sources/store-torture).
    static func tortureVector(_ n: Int, _ k: Int) -> [Float] {
        var g = TestRNG(state: UInt64(n) &* 1_000_003 &+ UInt64(k))
        return (0..<128).map { _ in Float(Int(g.next() % 2001) - 1000) / 4000 }
    }

    typealias State = [Int: [Int]]

    static func apply(_ op: [String], to state: State) -> State {
        var s = state
        let nums = op.dropFirst().compactMap { Int($0) }
        switch op.first {
        case "A":
            var l = s[nums[0]] ?? []
            l.append(nums[1])
            if l.count > 5 { l.removeFirst() }
            s[nums[0]] = l
        case "R": s[nums[0]] = [nums[1]]
        case "D": s[nums[0]] = nil
        case "B": for n in nums { s[n] = [0] }
        default: break
        }
        return s
    }

    static func tortureBinary() -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On Darwin the test binary sits inside an .xctest bundle.
        while url.path.contains(".xctest") { url.deleteLastPathComponent() }
        return url.appendingPathComponent("store-torture").path
    }

    /// Runs the child until it has acknowledged `acks` operations, kills it, and returns all
    /// lines it wrote.
    static func runAndKill(_ binary: String, dir: String, seed: UInt64, acks: Int) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = [dir, String(seed)]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var text = ""
        var killed = false
        while true {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if !killed && text.components(separatedBy: "\n").filter({ $0 == "K" }).count >= acks {
                kill(p.processIdentifier, SIGKILL)
                killed = true
            }
        }
        p.waitUntilExit()
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Plays the child's output onto `state`; returns the acknowledged state and the op in flight.
    static func replay(_ lines: [String], from state: State) -> (State, [String]?) {
        var s = state
        var pending: [String]?
        for line in lines {
            let parts = line.split(separator: " ").map(String.init)
            if parts.first == "I" {
                pending = Array(parts.dropFirst())
            } else if line == "K", let op = pending {
                s = apply(op, to: s)
                pending = nil
            }
        }
        return (s, pending)
    }

    /// Reads the store back, checking every template's bytes against the generator.
    static func observe(_ store: EmbeddingStore) throws -> (State, [String]) {
        var state: State = [:]
        var problems: [String] = []
        for subject in try store.listSubjects(namespace: "crash", limit: 1_000_000) {
            guard let n = Int(subject.dropFirst()) else { problems.append("bad subject \(subject)"); continue }
            for t in try store.templates(namespace: "crash", subject: subject) {
                let parts = String(decoding: t.vendorData, as: UTF8.self).split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2, parts[0] == n, t.vector == tortureVector(n, parts[1]) else {
                    problems.append("garbage template in \(subject)")
                    continue
                }
                state[n, default: []].append(parts[1])
            }
        }
        return (state, problems)
    }

    func testSigkillAtRandomMomentsLosesNoAcknowledgedEnrolment() throws {
        let binary = Self.tortureBinary()
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            return XCTFail("crash-test child not built at \(binary); run `swift build --build-tests` first")
        }
        let dir = makeTempDirectory("crash")
        defer { cleanup(dir) }
        // A fresh seed per run explores new kill points; every message names it for a replay.
        let seed = TestSeed.value(fallback: UInt64(Date().timeIntervalSince1970 * 1000))
        let replayHint = TestSeed.note(seed)
        var rng = TestRNG(state: seed)
        var state: State = [:]
        var rounds = 0, withPending = 0
        for round in 0..<20 {
            let childSeed = rng.next()
            let lines = try Self.runAndKill(binary, dir: dir, seed: childSeed, acks: 3 + Int(rng.next() % 40))
            let (acked, pending) = Self.replay(lines, from: state)
            let store = try EmbeddingStore.open(directory: dir, dimension: 128, modelID: "torture-model", options: StoreOptions(masterKey: testMasterKey))
            let report = store.recoveryReports()["crash"]
            XCTAssertEqual(report?.lostRecords, 0, "round \(round), \(replayHint)")
            XCTAssertEqual(report?.lostTemplateSlots, [], "round \(round), \(replayHint)")
            let (observed, problems) = try Self.observe(store)
            XCTAssertEqual(problems, [], "round \(round), \(replayHint)")
            let allowed = [acked] + (pending.map { [Self.apply($0, to: acked)] } ?? [])
            XCTAssertTrue(allowed.contains(observed), "round \(round), \(replayHint): store differs from acknowledged state (pending \(pending ?? []))")
            XCTAssertTrue(store.integrityCheck()["crash"]?.isClean == true, "round \(round), \(replayHint)")
            if let (n, ks) = observed.first, let k = ks.last {
                XCTAssertEqual(try store.search(namespace: "crash", vector: Self.tortureVector(n, k), topK: 1).first,
                               SearchHit(subject: "s\(n)", distance: 0))
            }
            state = observed
            rounds += 1
            if pending != nil { withPending += 1 }
        }
        XCTAssertEqual(rounds, 20)
        XCTAssertFalse(state.isEmpty)
        XCTAssertGreaterThan(withPending, 0, "kills should land while an operation is in flight")
    }
}
