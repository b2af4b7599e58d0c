/// Why the cluster store could not start or answer.
public enum ClusterError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    /// PostgreSQL could not be reached or did not answer in time.
    case unavailable(String)
    /// The database belongs to another model (embeddings would not compare).
    case modelMismatch(database: String, node: String)
    /// A migration or schema check failed.
    case schema(String)
    /// The local cache could not be written.
    case cache(String)
    /// A data key or sealed template could not be opened with this node's master key.
    case key(String)

    public var description: String {
        switch self {
        case .badURL(let reason): "bad postgres URL: \(reason)"
        case .unavailable(let reason): "PostgreSQL unavailable: \(reason)"
        case .modelMismatch(let database, let node):
            "the database holds embeddings of model \(database), this node runs \(node)"
        case .schema(let reason): "schema: \(reason)"
        case .cache(let reason): "cache: \(reason)"
        case .key(let reason): "encryption: \(reason)"
        }
    }
}
