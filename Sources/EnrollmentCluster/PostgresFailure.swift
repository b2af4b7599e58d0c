import PostgresNIO

/// Whether a failure means PostgreSQL could not be reached or went away (the node serves reads
/// from its cache and retries), as opposed to PostgreSQL refusing the request.
enum PostgresFailure {
    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? ClusterError {
            if case .unavailable = error { return true }
            return false
        }
        guard let error = error as? PSQLError else { return true }
        switch error.code {
        case .server:
            // Connection exceptions (08), operator intervention such as a shutdown (57),
            // insufficient resources (53), serialization failures and deadlocks (40).
            guard let state = error.serverInfo?[.sqlState] else { return true }
            return ["08", "57", "53", "40"].contains(String(state.prefix(2)))
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .queryCancelled, .poolClosed:
            return true
        default:
            return false
        }
    }
}
