import FaceNet
import Foundation

/// The server's settings, read from a JSON file (see docs/service.md for every key):
///
///     {
///       "host": "0.0.0.0", "port": 7470, "metrics_port": 7471,
///       "data_dir": "/var/lib/facematch", "models_dir": "/usr/share/facematch/models",
///       "workers": 0, "threads_per_worker": 0, "queue_capacity": 8, "latency_budget_ms": 300,
///       "minimum_face_size": 80, "default_timeout_ms": 30000, "maximum_timeout_ms": 300000,
///       "idle_timeout_seconds": 60, "frame_timeout_seconds": 30, "max_frame_bytes": 10524288,
///       "retention_sweep_interval_s": 3600, "master_key_file": "/etc/facematch/master.key",
///       "postgres": { "url": "postgres://facematch@db:5432/facematch?sslmode=require" },
///       "tls": { "cert": "server.pem", "key": "server.key", "client_ca": "clients-ca.pem" },
///       "signing_key_file": "/etc/facematch/signing-key.pem",
///       "applications": [
///         { "id": "shop", "api_key_sha256": "<64 hex digits>",
///           "review_threshold": 70, "decline_threshold": 50,
///           "client_certificate": { "subject_cn": "shop-backend" }, "retention_days": 365 }
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
    /// Worker threads (calls run at once); 0: the cores divided by the threads per worker.
    public var workers = 0
    /// Threads each call's inference uses; 0: the cores shared out among the set workers, or
    /// `defaultThreadsPerWorker` (at most the cores) when workers is 0 too. Workers times threads
    /// should not exceed the cores: busy workers would then oversubscribe the machine.
    public var threadsPerWorker = 0
    /// Smallest face, in working-image pixels (longer side at most 800), the detector must find.
    /// 80 runs every pyramid level (dlib's result); larger values skip the finest levels: 100
    /// takes about 40% off detection, 130 about 60% (faces of re-authentication selfies and
    /// badge photos are far larger). Smaller faces may then be missed (NO_FACE_DETECTED).
    public var minimumFaceSize = 80
    /// Calls that may wait for a worker; 0 means four per worker.
    public var queueCapacity = 0
    /// A call whose predicted wait plus run time exceeds this is refused at once with
    /// RESOURCE_EXHAUSTED; 0 turns the prediction off (the queue capacity alone decides).
    public var latencyBudgetMilliseconds = 300
    /// A connection with nothing in flight that sends nothing for this long is closed.
    public var idleTimeoutSeconds = 60.0
    /// A request frame must arrive whole within this long of its first byte (slow senders).
    public var frameTimeoutSeconds = 30.0
    /// The deadline of a call that sends `timeout_ms` 0, so that no call runs unbounded.
    public var defaultTimeoutMilliseconds = 30_000
    /// Longest deadline a call may ask for; longer ones are shortened to it.
    public var maximumTimeoutMilliseconds = 300_000
    /// Largest request frame accepted, checked on the length prefix; nil: Wire's default
    /// (two 5 MB images plus envelope).
    public var maxFrameBytes: Int?
    /// Seconds between two retention sweeps (applications with `retention_days`); the first runs at start.
    public var retentionSweepIntervalSeconds = 3600
    /// PostgreSQL holding the enrolments (`postgres.url`); nil: the local store is the only copy.
    public var postgresURL: String?
    /// TLS 1.3 (and mTLS with a client CA) on both ports (`tls`); nil: plaintext.
    public var tls: ServerTLSFiles?
    /// The 32-byte master key wrapping the store's data keys (`master_key_file`); required with a
    /// config file, created beside the development API key without one.
    public var masterKeyFile: String?
    /// The Ed25519 key that signs answers (`signing_key_file`, PEM PKCS#8, mode 0600); nil: dev
    /// mode makes one beside the development API key, a config without one refuses to start.
    public var signingKeyFile: String?
    /// nil means no config file: the development application is used.
    public var applications: [Application]?

    public init() {}

    /// Threads per worker when neither count is set: one call then uses up to this many cores
    /// (lowest latency; measured on 2 cores, one 2-thread worker answered a lone Verify in
    /// 144 ms against 257 ms for each of two 1-thread workers, at about the same throughput),
    /// and bigger machines get more workers rather than wider ones (small layers scale poorly).
    public static let defaultThreadsPerWorker = 4

    private var cores: Int { ProcessorCount.available }

    /// Workers, threads per worker and queue capacity on a machine with `cores` cores, with the
    /// unset (0) counts filled in.
    public func workerShape(cores: Int) -> (workers: Int, threadsPerWorker: Int, queueCapacity: Int) {
        let cores = max(1, cores)
        let threads = threadsPerWorker > 0 ? threadsPerWorker
            : workers > 0 ? max(1, cores / workers) : min(cores, Self.defaultThreadsPerWorker)
        let workerCount = workers > 0 ? workers : max(1, cores / threads)
        return (workerCount, threads, queueCapacity > 0 ? queueCapacity : 4 * workerCount)
    }

    public var effectiveWorkers: Int { workerShape(cores: cores).workers }
    public var effectiveThreadsPerWorker: Int { workerShape(cores: cores).threadsPerWorker }
    public var effectiveQueueCapacity: Int { workerShape(cores: cores).queueCapacity }
}

public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case invalidApplication(index: Int, reason: String)
    case duplicateApplication(id: String)
    case invalidSetting(key: String, reason: String)
    case unknownKey(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read config \(path): \(reason)"
        case .malformed(let path, let reason): "config \(path) is not valid: \(reason)"
        case .invalidApplication(let index, let reason): "applications[\(index)]: \(reason)"
        case .duplicateApplication(let id): "application id \"\(id)\" appears more than once"
        case .invalidSetting(let key, let reason): "\(key): \(reason)"
        case .unknownKey(let path): "unknown config key \"\(path)\""
        }
    }
}
