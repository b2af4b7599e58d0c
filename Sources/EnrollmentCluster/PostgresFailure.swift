import PostgresNIO

/// Whether a failure means PostgreSQL could not be reached or went away (the node serves reads
/// from its cache and retries), as opposed to PostgreSQL refusing the request.
enum PostgresFailure {
    static func isTransient(_ error: any Error) -> Bool {
        let error = unwrapped(error)
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

    /// The error a transaction's body threw, when PostgresNIO wrapped it and the rollback went
    /// well, so a refusal such as `ClusterError.dimensionMismatch` reaches callers and logs as itself.
    static func unwrapped(_ error: any Error) -> any Error {
        guard let error = error as? PostgresTransactionError, let body = error.closureError, error.rollbackError == nil else {
            return error
        }
        return body
    }
}
