import Logging

/// What SIGHUP does: re-read the config file and swap in its applications. A file that no longer
/// parses leaves the running set untouched (a typo must not lock every caller out). Listen
/// addresses, directories and pool sizes are read at start only.
public struct ConfigReloader: Sendable {
    public let path: String
    public let registry: ApplicationRegistry
    public let logger: Logger
    /// Refuses applications this server cannot run as configured (`DefaultModelUpgrade`: one
    /// without `model` over templates of the former default).
    public let check: @Sendable ([Application]) throws(ConfigError) -> Void

    public init(path: String, registry: ApplicationRegistry, logger: Logger,
                check: @escaping @Sendable ([Application]) throws(ConfigError) -> Void = { _ in }) {
        self.path = path
        self.registry = registry
        self.logger = logger
        self.check = check
    }

    /// The number of applications now in force, or why the reload was refused.
    @discardableResult
    public func reload() -> Result<Int, ConfigError> {
        do {
            let config = try ConfigLoader.load(path: path)
            guard let applications = config.applications, !applications.isEmpty else {
                throw ConfigError.invalidSetting(key: "applications", reason: "a config file must list at least one application")
            }
            try check(applications)
            registry.replace(with: applications)
            logger.info("config reloaded", metadata: ["path": "\(path)", "applications": "\(applications.count)"])
            return .success(applications.count)
        } catch let error as ConfigError {
            logger.error("config reload refused; keeping the previous applications",
                         metadata: ["path": "\(path)", "error": "\(error)"])
            return .failure(error)
        } catch {
            return .failure(.malformed(path: path, reason: "\(error)"))
        }
    }
}
