import ServiceLifecycle

/// The server as a swift-service-lifecycle `Service`: runs until the group shuts down
/// gracefully (SIGTERM, SIGINT), then drains (`MatchServer.shutdown()`: stop accepting, answer
/// every admitted call, close connections and the store). When the drain outlasts the group's
/// `maximumGracefulShutdownDuration`, the group cancels this task and `run()` returns at once;
/// the process then exits with whatever is still running (the store is crash-safe).
public struct MatchServerService: Service {
    public let server: MatchServer

    public init(server: MatchServer) {
        self.server = server
    }

    public func run() async throws {
        let server = self.server
        await withGracefulShutdownHandler {
            await server.waitUntilClosed()
        } onGracefulShutdown: {
            Task { await server.shutdown() }
        }
    }
}
