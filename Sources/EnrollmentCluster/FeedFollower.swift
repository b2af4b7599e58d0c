import Foundation
import Logging
import PostgresNIO

/// Applies the change feed to this node's cache, in position order, on its own connection:
/// LISTEN wakes it at each commit, a one-second poll covers a lost notification, and after every
/// (re)connect it catches up by position, so nothing depends on a notification arriving.
/// After each batch the cache marker records the position, once the store has synced the batch.
final class FeedFollower: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let applier: CacheApplier
    private let sealing: TemplateSealing
    private let cacheDirectory: String
    private let clusterID: String
    private let state: FollowerState
    private let doorbell: Doorbell
    private let logger: Logger
    static let batchLimit = 500
    static let pollInterval: Duration = .seconds(1)

    init(configuration: PostgresConnection.Configuration, applier: CacheApplier, sealing: TemplateSealing,
         cacheDirectory: String, clusterID: String, state: FollowerState, doorbell: Doorbell, logger: Logger) {
        self.configuration = configuration
        self.applier = applier
        self.sealing = sealing
        self.cacheDirectory = cacheDirectory
        self.clusterID = clusterID
        self.state = state
        self.doorbell = doorbell
        self.logger = logger
    }

    /// Runs until the task is cancelled, reconnecting with a capped backoff.
    func run() async {
        var backoff = Duration.milliseconds(100)
        var connectionID = 1
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: connectionID,
                                                                      logger: logger)
                connectionID += 1
                backoff = .milliseconds(100)
                do {
                    try await follow(connection)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                if state.unreachable() {
                    logger.warning("change feed stopped; serving reads from the cache, refusing writes until it resumes",
                                   metadata: ["error": "\(ClusterStore.describe(error))"])
                }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(2))
            }
        }
    }

    private func follow(_ connection: PostgresConnection) async throws {
        // A node that started while PostgreSQL was down has not checked the cluster yet.
        let databaseCluster = try await ClusterQueries.clusterID(on: connection, logger: logger)
        guard databaseCluster == clusterID else {
            throw ClusterError.schema("the database is cluster \(databaseCluster), this cache follows \(clusterID): restart the node to rebuild it")
        }
        try await connection.listen(on: Migrations.channel) { notifications in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in notifications { self.doorbell.ring() }
                    throw ClusterError.unavailable("notification stream ended")
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await self.drain(connection)
                        await self.doorbell.wait(upTo: Self.pollInterval)
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Applies every committed change after the applied position.
    private func drain(_ connection: PostgresConnection) async throws {
        while true {
            let from = state.appliedPosition
            let changes = try await ClusterQueries.changes(after: from, limit: Self.batchLimit, sealing: sealing,
                                                             on: connection, logger: logger)
            guard let last = changes.last else {
                state.caughtUp()
                return
            }
            state.sawHead(last.position)
            try apply(changes)
            try CacheMarker(clusterID: clusterID, position: last.position).write(directory: cacheDirectory)
            let now = Date().timeIntervalSince1970
            state.applied(upTo: last.position, lags: changes.map { max(0, now - $0.committedAt) })
            if changes.count < Self.batchLimit { return }
        }
    }

    /// Each subject once, at its newest state (the batch holds the current state for every change).
    func apply(_ changes: [FeedChange]) throws {
        var seen = Set<String>()
        for change in changes.reversed() {
            let key = change.state.namespace + "\u{0}" + change.state.subject
            guard seen.insert(key).inserted else { continue }
            do {
                try applier.apply(change.state)
            } catch {
                throw ClusterError.cache("applying change \(change.position): \(error)")
            }
        }
    }
}
