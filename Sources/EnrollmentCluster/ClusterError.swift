/// Why the cluster store could not start or answer.
public enum ClusterError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    /// PostgreSQL could not be reached or did not answer in time.
    case unavailable(String)
    /// A template of `model` does not have the model's number of values (refused at write and read).
    case dimensionMismatch(model: String, subject: String, expected: Int, found: Int)
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
        case .dimensionMismatch(let model, let subject, let expected, let found):
            "a template of \(subject) for model \(model) has \(found) values; the model's templates have \(expected)"
        case .schema(let reason): "schema: \(reason)"
        case .cache(let reason): "cache: \(reason)"
        case .key(let reason): "encryption: \(reason)"
        }
    }
}
