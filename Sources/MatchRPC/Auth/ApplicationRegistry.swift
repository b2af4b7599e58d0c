import NIOConcurrencyHelpers

/// The current set of applications, swapped whole on reload (SIGHUP) so a call sees either the
/// old set or the new one, never a mix.
public final class ApplicationRegistry: Sendable {
    private let applications: NIOLockedValueBox<[Application]>

    public init(_ applications: [Application]) {
        self.applications = NIOLockedValueBox(applications)
    }

    public var all: [Application] { applications.withLockedValue { $0 } }

    /// The application whose key this is, or nil. Hashes the presented key once and compares it
    /// with every application's digest in constant time, without stopping at a match, so the time
    /// taken does not depend on which (if any) application matched.
    public func authenticate(apiKey: String) -> Application? {
        var found: Application?
        for application in all where application.keyDigest.matches(key: apiKey) && found == nil {
            found = application
        }
        return found
    }

    public func replace(with applications: [Application]) {
        self.applications.withLockedValue { $0 = applications }
    }
}
