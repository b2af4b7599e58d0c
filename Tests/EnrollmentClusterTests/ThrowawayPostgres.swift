import Foundation
import XCTest

/// One throw-away PostgreSQL 15 for the whole test process, started on first use by
/// scripts/lib/throwaway-postgres.sh (as the scripts start theirs: a folder under the temp
/// directory, a free loopback port, an unprivileged user when run as root) and stopped at exit.
/// Each test takes a database of its own. A missing PostgreSQL fails the test: setup.sh installs it.
final class ThrowawayPostgres: Sendable {
    static let bin = "/usr/lib/postgresql/15/bin"
    nonisolated(unsafe) private static var started: Result<ThrowawayPostgres, any Error>?
    private static let lock = NSLock()

    let directory: String
    let port: Int

    static func shared() throws -> ThrowawayPostgres {
        lock.lock()
        defer { lock.unlock() }
        if started == nil {
            started = Result { try ThrowawayPostgres() }
            if case .success(let server) = started {
                stopDirectory = server.directory
                atexit { ThrowawayPostgres.stopAtExit() }
            }
        }
        return try started!.get()
    }

    private init() throws {
        let root = NSTemporaryDirectory() + "fm-pg-\(UUID().uuidString.prefix(8))"
        directory = root + "/pg"
        port = try Self.freePort()
        try Self.bash(". \"$1/scripts/lib/throwaway-postgres.sh\" && pg_init \"$2\" \"$3\" && pg_start",
                      Self.repository, directory, String(port))
    }

    /// A new, empty database; returns its URL.
    func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try run(Self.bin + "/psql", "-X", "-q", "-d", url("postgres"), "-c", "CREATE DATABASE \(name)")
        return url(name)
    }

    func url(_ database: String) -> String { "postgres://facematch@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// `pg_dump` of the database as plain SQL (what a backup holds), as text.
    func dump(_ url: String) throws -> String {
        let file = directory + "/../dump-\(UUID().uuidString).sql"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try run(Self.bin + "/pg_dump", "--format=plain", "--file=" + file, "--dbname=" + url)
        return try String(contentsOfFile: file, encoding: .utf8)
    }

    /// Runs one SQL statement with psql; returns its unaligned output.
    @discardableResult
    func sql(_ url: String, _ statement: String) throws -> String {
        try run(Self.bin + "/psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", statement)
    }

    private static func stopAtExit() {
        guard let stopDirectory else { return }
        _ = try? bash(". \"$1/scripts/lib/throwaway-postgres.sh\" && pg_dir=\"$2\" && pg_stop", repository, stopDirectory)
        try? FileManager.default.removeItem(atPath: (stopDirectory as NSString).deletingLastPathComponent)
    }

    nonisolated(unsafe) private static var stopDirectory: String?

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @discardableResult
    private static func bash(_ script: String, _ arguments: String...) throws -> String {
        try launch("/bin/bash", ["-c", script, "bash"] + arguments)
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: String...) throws -> String {
        try Self.launch(executable, arguments)
    }

    /// posix_spawn and waitpid: Foundation's Process.waitUntilExit was seen never returning here
    /// after its child had exited. Output (stdout and stderr) goes through a temporary file.
    private static func launch(_ executable: String, _ arguments: [String]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "fm-pg-out-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw PostgresSetupError(command: executable, output: "posix_spawn: errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw PostgresSetupError(command: ([executable] + arguments).joined(separator: " "), output: output)
        }
        return output
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresSetupError(command: "bind 127.0.0.1:0", output: "errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct PostgresSetupError: Error, CustomStringConvertible {
    var command: String
    var output: String
    var description: String { "\(command) failed: \(output)" }
}
