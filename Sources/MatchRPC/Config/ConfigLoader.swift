import Foundation

/// Parses the JSON config file into a `ServerConfig`, checking every value. An unknown key is
/// an error naming it and where it is (`applications[0].wokers`): a misspelt setting must not
/// silently fall back to its default.
public enum ConfigLoader {
    private struct File: Decodable {
        var host: String?
        var port: Int?
        var metrics_port: Int?
        var data_dir: String?
        var models_dir: String?
        var workers: Int?
        var queue_capacity: Int?
        var threads_per_worker: Int?
        var minimum_face_size: Int?
        var latency_budget_ms: Int?
        var idle_timeout_seconds: Double?
        var frame_timeout_seconds: Double?
        var max_frame_bytes: Int?
        var default_timeout_ms: Int?
        var maximum_timeout_ms: Int?
        var retention_sweep_interval_s: Int?
        var master_key_file: String?
        var applications: [ApplicationEntry]?
        var postgres: PostgresEntry?
        var tls: TLSEntry?
        var signing_key_file: String?

        // Listed by hand so that unknown keys can be found: a key missing here is never read.
        enum CodingKeys: String, CodingKey, CaseIterable {
            case host, port, metrics_port, data_dir, models_dir, workers, queue_capacity, threads_per_worker
            case minimum_face_size, latency_budget_ms, idle_timeout_seconds, frame_timeout_seconds, max_frame_bytes
            case default_timeout_ms, maximum_timeout_ms, retention_sweep_interval_s, master_key_file
            case postgres, applications, tls, signing_key_file
        }
    }

    private struct TLSEntry: Decodable {
        var cert: String?
        var key: String?
        var client_ca: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case cert, key, client_ca
        }
    }

    private struct ClientCertificateEntry: Decodable {
        var subject_cn: String?
        var san_dns: String?
        var san_uri: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case subject_cn, san_dns, san_uri
        }
    }

    private struct PostgresEntry: Decodable {
        var url: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url
        }
    }

    private struct ApplicationEntry: Decodable {
        var id: String
        var api_key_sha256: String
        var review_threshold: Double?
        var decline_threshold: Double?
        var risk_actions: [String: String]?
        var client_certificate: ClientCertificateEntry?
        var model: String?
        var previous_model: String?
        var retention_days: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, api_key_sha256, review_threshold, decline_threshold, risk_actions, client_certificate, model, previous_model,
                 retention_days
        }
    }

    public static func load(path: String) throws(ConfigError) -> ServerConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String = "<config>") throws(ConfigError) -> ServerConfig {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw .malformed(path: path, reason: String(describing: error))
        }
        try rejectUnknownKeys(data)
        var config = ServerConfig()
        if let host = file.host { config.host = host }
        if let port = file.port { config.port = try checkPort(port, key: "port") }
        if let port = file.metrics_port { config.metricsPort = try checkPort(port, key: "metrics_port") }
        if let dir = file.data_dir { config.dataDirectory = dir }
        if let dir = file.models_dir { config.modelsDirectory = dir }
        if let n = file.workers { config.workers = try checkRange(n, 0...256, key: "workers") }
        if let n = file.queue_capacity { config.queueCapacity = try checkRange(n, 0...100_000, key: "queue_capacity") }
        if let n = file.threads_per_worker { config.threadsPerWorker = try checkRange(n, 0...256, key: "threads_per_worker") }
        if let n = file.minimum_face_size { config.minimumFaceSize = try checkRange(n, 40...800, key: "minimum_face_size") }
        if let n = file.latency_budget_ms {
            config.latencyBudgetMilliseconds = try checkRange(n, 0...600_000, key: "latency_budget_ms")
        }
        if let seconds = file.idle_timeout_seconds {
            config.idleTimeoutSeconds = try checkTimeout(seconds, key: "idle_timeout_seconds")
        }
        if let seconds = file.frame_timeout_seconds {
            config.frameTimeoutSeconds = try checkTimeout(seconds, key: "frame_timeout_seconds")
        }
        if let n = file.default_timeout_ms {
            config.defaultTimeoutMilliseconds = try checkRange(n, 1...3_600_000, key: "default_timeout_ms")
        }
        if let n = file.maximum_timeout_ms {
            config.maximumTimeoutMilliseconds = try checkRange(n, 1...86_400_000, key: "maximum_timeout_ms")
        }
        guard config.defaultTimeoutMilliseconds <= config.maximumTimeoutMilliseconds else {
            throw .invalidSetting(key: "default_timeout_ms", reason: "must not exceed maximum_timeout_ms")
        }
        if let path = file.master_key_file {
            guard !path.isEmpty else { throw .invalidSetting(key: "master_key_file", reason: "must name a file") }
            config.masterKeyFile = path
        }
        if let n = file.retention_sweep_interval_s {
            config.retentionSweepIntervalSeconds = try checkRange(n, 1...604_800, key: "retention_sweep_interval_s")
        }
        if let n = file.max_frame_bytes { config.maxFrameBytes = try checkRange(n, 1024...(256 << 20), key: "max_frame_bytes") }
        if let url = file.postgres?.url {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw .invalidSetting(key: "postgres.url", reason: "must start with postgres:// or postgresql://")
            }
            config.postgresURL = url
        }
        if let tls = file.tls { config.tls = try tlsFiles(tls) }
        if let path = file.signing_key_file {
            guard !path.isEmpty else { throw .invalidSetting(key: "signing_key_file", reason: "must be a file path") }
            config.signingKeyFile = path
        }
        if let entries = file.applications {
            config.applications = try applications(entries)
        }
        return config
    }

    private static func applications(_ entries: [ApplicationEntry]) throws(ConfigError) -> [Application] {
        var seen = Set<String>()
        var result: [Application] = []
        for (index, entry) in entries.enumerated() {
            guard Application.isValidID(entry.id) else {
                throw .invalidApplication(index: index, reason: "id must be 1-64 characters of A-Z a-z 0-9 - _ .")
            }
            guard seen.insert(entry.id).inserted else { throw .duplicateApplication(id: entry.id) }
            let digest: APIKeyDigest
            do {
                digest = try APIKeyDigest(hex: entry.api_key_sha256)
            } catch {
                throw .invalidApplication(index: index, reason: "api_key_sha256 must be 64 hex digits")
            }
            let review = entry.review_threshold ?? Thresholds.default.review
            let decline = entry.decline_threshold ?? Thresholds.default.decline
            guard (0...100).contains(review), (0...100).contains(decline), decline <= review else {
                throw .invalidApplication(
                    index: index, reason: "thresholds must satisfy 0 <= decline (\(decline)) <= review (\(review)) <= 100")
            }
            let actions = try RiskActions(config: entry.risk_actions ?? [:], applicationIndex: index)
            if let days = entry.retention_days, !Application.retentionDaysRange.contains(days) {
                let range = Application.retentionDaysRange
                throw .invalidApplication(
                    index: index, reason: "retention_days must be \(range.lowerBound)...\(range.upperBound) (absent: unlimited), got \(days)")
            }
            let binding = try entry.client_certificate.map { entry throws(ConfigError) in try clientCertificate(entry, index: index) }
            let model = try entry.model.map { id throws(ConfigError) in try modelID(id, key: "model", index: index) }
            let previous = try entry.previous_model.map { id throws(ConfigError) in
                try modelID(id, key: "previous_model", index: index)
            }
            // Absent, `model` stays nil so the application remembers it ran the default implicitly.
            let running = model ?? .serviceDefault
            guard previous != running else {
                throw .invalidApplication(index: index, reason: "previous_model must differ from model (\(running.rawValue))")
            }
            result.append(Application(id: entry.id, keyDigest: digest,
                                      thresholds: Thresholds(review: review, decline: decline), riskActions: actions,
                                      clientCertificate: binding, model: model, previousModel: previous,
                                      retentionDays: entry.retention_days))
        }
        return result
    }

    /// `tls`: cert and key together; client_ca only with them.
    private static func tlsFiles(_ entry: TLSEntry) throws(ConfigError) -> ServerTLSFiles? {
        switch (entry.cert, entry.key) {
        case (let cert?, let key?):
            return ServerTLSFiles(certificate: cert, privateKey: key, clientCA: entry.client_ca)
        case (nil, nil) where entry.client_ca == nil:
            return nil
        default:
            throw .invalidSetting(key: "tls", reason: "cert and key go together, and client_ca needs them")
        }
    }

    /// `client_certificate`: exactly one of subject_cn, san_dns, san_uri, not empty.
    private static func clientCertificate(_ entry: ClientCertificateEntry, index: Int) throws(ConfigError) -> ClientCertificateBinding {
        let candidates: [ClientCertificateBinding?] = [
            entry.subject_cn.map { .subjectCommonName($0) }, entry.san_dns.map { .dnsName($0) }, entry.san_uri.map { .uri($0) },
        ]
        let given = candidates.compactMap { $0 }
        guard given.count == 1, let binding = given.first,
              ![entry.subject_cn, entry.san_dns, entry.san_uri].contains(where: { $0?.isEmpty == true }) else {
            throw .invalidApplication(index: index, reason: "client_certificate takes exactly one non-empty subject_cn, san_dns or san_uri")
        }
        return binding
    }

    private static func modelID(_ id: String, key: String, index: Int) throws(ConfigError) -> FaceModelID {
        guard let model = FaceModelID(rawValue: id) else {
            throw .invalidApplication(index: index, reason: "\(key) \"\(id)\" is not a known model (known: \(FaceModelID.knownIDs))")
        }
        return model
    }

    private static func rejectUnknownKeys(_ data: Data) throws(ConfigError) {
        guard let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        try checkKeys(top, known: File.CodingKeys.allCases.map(\.rawValue), path: "")
        if let postgres = top["postgres"] as? [String: Any] {
            try checkKeys(postgres, known: PostgresEntry.CodingKeys.allCases.map(\.rawValue), path: "postgres.")
        }
        if let tls = top["tls"] as? [String: Any] {
            try checkKeys(tls, known: TLSEntry.CodingKeys.allCases.map(\.rawValue), path: "tls.")
        }
        for (index, entry) in (top["applications"] as? [Any] ?? []).enumerated() {
            guard let entry = entry as? [String: Any] else { continue }
            try checkKeys(entry, known: ApplicationEntry.CodingKeys.allCases.map(\.rawValue), path: "applications[\(index)].")
            if let binding = entry["client_certificate"] as? [String: Any] {
                try checkKeys(binding, known: ClientCertificateEntry.CodingKeys.allCases.map(\.rawValue),
                              path: "applications[\(index)].client_certificate.")
            }
        }
    }

    private static func checkKeys(_ object: [String: Any], known: [String], path: String) throws(ConfigError) {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownKey(path: path + unknown)
        }
    }

    private static func checkRange(_ value: Int, _ range: ClosedRange<Int>, key: String) throws(ConfigError) -> Int {
        guard range.contains(value) else {
            throw .invalidSetting(key: key, reason: "must be \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    private static func checkPort(_ port: Int, key: String) throws(ConfigError) -> Int {
        guard (0...65535).contains(port) else { throw .invalidSetting(key: key, reason: "\(port) is not a port") }
        return port
    }

    private static func checkTimeout(_ seconds: Double, key: String) throws(ConfigError) -> Double {
        guard seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw .invalidSetting(key: key, reason: "must be a number of seconds in (0, 86400]")
        }
        return seconds
    }
}
