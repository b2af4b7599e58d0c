import Foundation
import NIOConcurrencyHelpers
import Wire

/// One client for several servers of a cluster (`a:7470,b:7470`): each call starts at the next
/// server in turn, spreading the load, and moves on to the next server when the connection
/// fails or the server answers UNAVAILABLE (shutting down, or its enrolment database is
/// unreachable), until every server was tried once. Other errors are the call's own answer.
/// A call that fails over may have reached the first server: Enroll can then be applied twice
/// (a second template of the same face), which Verify and Identify tolerate.
public final class MatchClientPool: Sendable {
    public let addresses: [String]
    private let apiKey: String
    private let connect: @Sendable (String, String) async throws -> MatchClient
    private let clients: NIOLockedValueBox<[MatchClient?]>
    private let next = NIOLockedValueBox(0)

    /// - Parameters:
    ///   - addresses: `HOST:PORT` entries, or one comma-separated string of them.
    ///   - tls: how every connection speaks TLS (nil: plaintext); unused with `connect`.
    ///   - connect: makes a connection (default `MatchClient.connect(address:apiKey:tls:)`).
    public init(addresses: [String], apiKey: String, tls: MatchClientTLS? = nil,
                connect: (@Sendable (String, String) async throws -> MatchClient)? = nil) throws(MatchClientError) {
        let list = try Self.parseAddresses(addresses.joined(separator: ","))
        self.addresses = list
        self.apiKey = apiKey
        self.connect = connect ?? { address, key in try await MatchClient.connect(address: address, apiKey: key, tls: tls) }
        self.clients = NIOLockedValueBox(Array(repeating: nil, count: list.count))
    }

    /// Splits `a:1,b:2` and checks each entry; refuses an empty list.
    public static func parseAddresses(_ list: String) throws(MatchClientError) -> [String] {
        let entries = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { throw .invalidAddress(list) }
        for entry in entries { _ = try MatchClient.parseAddress(entry) }
        return entries
    }

    /// Whether a failed call should be tried on the next server.
    public static func shouldFailOver(_ error: any Error) -> Bool {
        guard let error = error as? MatchClientError else { return true }
        switch error {
        case .connectionClosed, .tlsFailure: return true
        case .status(let code, _, _): return code == .unavailable
        default: return false
        }
    }

    /// Runs `body` against one server, failing over as described above; the last server's error
    /// is thrown when none succeeds.
    public func withClient<T>(_ body: (MatchClient) async throws -> T) async throws -> T {
        let count = addresses.count
        let start = next.withLockedValue { n -> Int in
            defer { n = (n + 1) % count }
            return n
        }
        var lastError: (any Error)?
        for step in 0..<count {
            let index = (start + step) % count
            do {
                return try await body(try await client(index))
            } catch {
                guard Self.shouldFailOver(error) else { throw error }
                await drop(index)
                lastError = error
            }
        }
        throw lastError!
    }

    public func close() async {
        let open = clients.withLockedValue { all -> [MatchClient] in
            defer { all = Array(repeating: nil, count: all.count) }
            return all.compactMap { $0 }
        }
        for client in open { await client.close() }
    }

    private func client(_ index: Int) async throws -> MatchClient {
        if let existing = clients.withLockedValue({ $0[index] }) { return existing }
        let fresh = try await connect(addresses[index], apiKey)
        let raced = clients.withLockedValue { all -> MatchClient? in
            if let other = all[index] { return other }
            all[index] = fresh
            return nil
        }
        if let raced {
            await fresh.close()
            return raced
        }
        return fresh
    }

    private func drop(_ index: Int) async {
        let old = clients.withLockedValue { all -> MatchClient? in
            defer { all[index] = nil }
            return all[index]
        }
        await old?.close()
    }
}
