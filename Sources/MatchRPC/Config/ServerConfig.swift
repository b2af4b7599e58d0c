import Foundation

/// The server's settings, read from a JSON file (see docs/service.md for every key):
///
///     {
///       "host": "0.0.0.0", "port": 7470, "metrics_port": 7471,
///       "data_dir": "/var/lib/facematch", "models_dir": "/usr/share/facematch/models",
///       "workers": 0, "queue_capacity": 8,
///       "idle_timeout_seconds": 60, "frame_timeout_seconds": 30, "max_frame_bytes": 10524288,
///       "applications": [
///         { "id": "shop", "api_key_sha256": "<64 hex digits>",
///           "review_threshold": 70, "decline_threshold": 50 }
///       ]
///     }
///
/// Every key is optional except each application's `id` and `api_key_sha256`.
public struct ServerConfig: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 7470
    public var metricsPort = 7471
    public var dataDirectory = "./facematch-data"
    /// nil: `--models`, else FACEMATCH_MODEL_DIR, else ./models.
    public var modelsDirectory: String?
    /// Worker threads; 0 means one per core.
    public var workers = 0
    /// Calls that may wait for a worker; 0 means four per worker.
    public var queueCapacity = 0
    /// A connection with nothing in flight that sends nothing for this long is closed.
    public var idleTimeoutSeconds = 60.0
    /// A request frame must arrive whole within this long of its first byte (slow senders).
    public var frameTimeoutSeconds = 30.0
    /// Largest request frame accepted, checked on the length prefix; nil: Wire's default
    /// (two 5 MB images plus envelope).
    public var maxFrameBytes: Int?
    /// nil means no config file: the development application is used.
    public var applications: [Application]?

    public init() {}

    public var effectiveWorkers: Int {
        workers > 0 ? workers : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    public var effectiveQueueCapacity: Int {
        queueCapacity > 0 ? queueCapacity : 4 * effectiveWorkers
    }
}

public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case invalidApplication(index: Int, reason: String)
    case duplicateApplication(id: String)
    case invalidSetting(key: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read config \(path): \(reason)"
        case .malformed(let path, let reason): "config \(path) is not valid: \(reason)"
        case .invalidApplication(let index, let reason): "applications[\(index)]: \(reason)"
        case .duplicateApplication(let id): "application id \"\(id)\" appears more than once"
        case .invalidSetting(let key, let reason): "\(key): \(reason)"
        }
    }
}
