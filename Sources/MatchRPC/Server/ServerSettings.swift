import NIOCore
import Wire

/// What `MatchServer` needs to listen; built from `ServerConfig` and CLI options.
public struct ServerSettings: Sendable {
    public var host: String
    /// 0 picks a free port (tests); see `MatchServer.port`.
    public var port: Int
    /// nil: no metrics listener.
    public var metricsPort: Int?
    public var workers: Int
    public var queueCapacity: Int
    /// Refuse calls predicted to take longer than this (queue wait plus run); nil: never.
    public var latencyBudget: TimeAmount?
    public var idleTimeout: TimeAmount
    public var frameTimeout: TimeAmount
    public var maxFrameBytes: Int
    /// Longest a graceful shutdown waits for connections to finish before closing them.
    public var shutdownGrace: TimeAmount
    /// The deadline of a call sent with `timeout_ms` 0.
    public var defaultTimeout: TimeAmount
    /// Longest deadline honoured; longer ones are shortened to it.
    public var maximumTimeout: TimeAmount
    /// TLS 1.3 on the RPC and metrics ports; nil: plaintext.
    public var tls: ServerTLS?
    /// Plaintext on a non-loopback host is refused at start unless this is set (`--insecure-plaintext`).
    public var allowsPlaintextOnNetwork = false
    /// Signs every OK answer that carries CallInfo (docs/wire-format.md, "Signed answers"); nil:
    /// answers go unsigned (tests; `serve` always has a key).
    public var signingKey: AnswerSigningKey?

    public init(host: String = "127.0.0.1", port: Int = 7470, metricsPort: Int? = 7471, workers: Int = 2,
                queueCapacity: Int = 8, latencyBudget: TimeAmount? = nil, idleTimeout: TimeAmount = .seconds(60),
                frameTimeout: TimeAmount = .seconds(30), maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes,
                shutdownGrace: TimeAmount = .seconds(30), defaultTimeout: TimeAmount = .seconds(30),
                maximumTimeout: TimeAmount = .seconds(300)) {
        self.host = host
        self.port = port
        self.metricsPort = metricsPort
        self.workers = workers
        self.queueCapacity = queueCapacity
        self.latencyBudget = latencyBudget
        self.idleTimeout = idleTimeout
        self.frameTimeout = frameTimeout
        self.maxFrameBytes = maxFrameBytes
        self.shutdownGrace = shutdownGrace
        self.defaultTimeout = defaultTimeout
        self.maximumTimeout = max(maximumTimeout, defaultTimeout)
    }

    public init(_ config: ServerConfig) {
        self.init(host: config.host, port: config.port, metricsPort: config.metricsPort,
                  workers: config.effectiveWorkers, queueCapacity: config.effectiveQueueCapacity,
                  latencyBudget: config.latencyBudgetMilliseconds > 0 ? .milliseconds(Int64(config.latencyBudgetMilliseconds)) : nil,
                  idleTimeout: .nanoseconds(Int64(config.idleTimeoutSeconds * 1e9)),
                  frameTimeout: .nanoseconds(Int64(config.frameTimeoutSeconds * 1e9)),
                  maxFrameBytes: config.maxFrameBytes ?? WireLimits.defaultMaxFrameBytes,
                  defaultTimeout: .milliseconds(Int64(config.defaultTimeoutMilliseconds)),
                  maximumTimeout: .milliseconds(Int64(config.maximumTimeoutMilliseconds)))
    }
}
