import Foundation
import Logging
import NIOCore
import Wire

/// Decides what to do with one call: authenticate, find the method, decode its payload, and
/// either answer at once (errors, Health) or hand back the work to run on a worker. I/O-free:
/// the connection handler applies the plan.
public final class RPCDispatcher: Sendable {
    public enum Plan {
        case reply(CallReply)
        case work(@Sendable (any FaceAnalyzing) -> CallReply)
        /// The worker pool would not take the call now.
        case refused(AdmissionQueue<WorkerPool.Job>.Rejection)
    }

    private let registry: ApplicationRegistry
    private let service: MatchService
    private let modelID: String
    private let isServing: @Sendable () -> Bool
    private let logger: Logger

    public init(registry: ApplicationRegistry, service: MatchService, modelID: String,
                isServing: @escaping @Sendable () -> Bool, logger: Logger) {
        self.registry = registry
        self.service = service
        self.modelID = modelID
        self.isServing = isServing
        self.logger = logger
    }

    /// Metrics label for a method name: unknown names collapse into one label, so a client
    /// cannot grow the metrics without bound.
    public static func metricLabel(_ method: String) -> String {
        RPCMethod(rawValue: method) != nil ? method : "unknown"
    }

    /// - Parameter admission: why the worker pool would refuse a call now (nil: it would take it).
    ///   Asked after authentication and before the payload is decoded, so that under overload a
    ///   refusal costs no image copy or parse.
    public func plan(_ call: IncomingCall,
                     admission: () -> AdmissionQueue<WorkerPool.Job>.Rejection? = { nil }) -> Plan {
        let id = call.callID
        guard let application = registry.authenticate(apiKey: call.apiKey) else {
            return .reply(CallReply(callID: id, status: .unauthenticated, message: "unknown API key"))
        }
        guard let method = RPCMethod(rawValue: call.method) else {
            return .reply(CallReply(callID: id, status: .unimplemented, message: "unknown method \"\(call.method.prefix(64))\""))
        }
        // Health is answered here, without reading its (empty) payload; every other method runs on a worker.
        if method == .health { return health(callID: id, application) }
        if let reason = admission() { return .refused(reason) }
        let request: RPCRequest
        do {
            request = try RPCRequest(method: method, payload: call.payload)
        } catch {
            return .reply(CallReply(callID: id, status: .invalidArgument, message: "undecodable \(call.method) request: \(error)"))
        }
        switch request {
        case .compare(let request):
            if let refusal = Self.checkVendorData(request.vendorData, callID: id) { return refusal }
            return work(call, application) { service, app, analyzer, meta in
                let report = try service.compare(source: request.sourceImage, target: request.targetImage, for: app,
                                                 analyzer: analyzer)
                return WireMapping.encodeReport(report, vendorData: request.vendorData, meta: meta())
            }
        case .verify(let request):
            if let refusal = Self.checkVendorData(request.vendorData, callID: id) { return refusal }
            return work(call, application) { service, app, analyzer, meta in
                let report = try service.verify(subject: request.subjectID, image: request.image, for: app, analyzer: analyzer)
                return WireMapping.encodeReport(report, vendorData: request.vendorData, meta: meta())
            }
        case .enroll(let request):
            if let refusal = Self.checkVendorData(request.vendorData, callID: id) { return refusal }
            return work(call, application) { service, app, analyzer, meta in
                let outcome = try service.enroll(subject: request.subjectID, image: request.image, vendorData: request.vendorData,
                                                 mode: WireMapping.mode(request.mode), for: app, analyzer: analyzer)
                return WireMapping.encodeEnroll(outcome, subject: request.subjectID, vendorData: request.vendorData, meta: meta())
            }
        case .identify(let request):
            return work(call, application) { service, app, analyzer, meta in
                let outcome = try service.identify(image: request.image, topK: Int(request.topK), minScore: request.minScore,
                                                   for: app, analyzer: analyzer)
                return WireMapping.encodeIdentify(outcome, meta: meta())
            }
        case .deleteEnrollment(let request):
            let subject = request.subjectID
            return work(call, application) { service, app, _, meta in
                try service.delete(subject: subject, for: app)
                return WireMapping.encodeDelete(subject: subject, meta: meta())
            }
        case .health:
            return health(callID: id, application)
        }
    }

    private func health(callID: UInt64, _ application: Application) -> Plan {
        let stats = try? service.store.stats(namespace: application.namespace)
        let payload = WireMapping.encodeHealth(serving: isServing(), modelID: modelID, stats: stats,
                                               replication: service.store.replication)
        return .reply(CallReply(callID: callID, status: .ok, payload: payload))
    }

    /// What every response reports about the call itself.
    public struct CallMeta: Sendable {
        public var requestID: String
        public var modelID: String
        public var serverMilliseconds: Double
    }

    private func work(_ call: IncomingCall, _ application: Application,
                      _ body: @escaping @Sendable (MatchService, Application, any FaceAnalyzing, () -> CallMeta) throws -> [UInt8]) -> Plan {
        let service = self.service
        let modelID = self.modelID
        let logger = self.logger
        let callID = call.callID
        let received = call.received
        let method = call.method
        return .work { analyzer in
            let requestID = UUID().uuidString.lowercased()
            let meta = {
                CallMeta(requestID: requestID, modelID: modelID,
                         serverMilliseconds: Double((NIODeadline.now() - received).nanoseconds) / 1e6)
            }
            do {
                let payload = try body(service, application, analyzer, meta)
                return CallReply(callID: callID, status: .ok, payload: payload)
            } catch {
                let serviceError = error as? ServiceError ?? .internalError("unexpected \(type(of: error))")
                let (status, message) = Self.status(for: serviceError)
                if status == .internal || status == .dataLoss {
                    logger.error("call failed", metadata: ["method": "\(method)", "request_id": "\(requestID)",
                                                           "application": "\(application.id)", "error": "\(message)"])
                }
                return CallReply(callID: callID, status: status, message: message,
                                 retryAfterMillis: Self.retryAfterMillis(for: serviceError))
            }
        }
    }

    /// vendor_data is echoed (and stored with enrolments): at most 256 bytes, as the contract says.
    public static let maxVendorDataBytes = 256

    private static func checkVendorData(_ bytes: [UInt8], callID: UInt64) -> Plan? {
        guard bytes.count > maxVendorDataBytes else { return nil }
        return .reply(CallReply(callID: callID, status: .invalidArgument,
                                message: "vendor_data has \(bytes.count) bytes, at most \(maxVendorDataBytes) allowed"))
    }

    static func status(for error: ServiceError) -> (RPCStatusCode, String) {
        switch error {
        case .invalidArgument(let message): (.invalidArgument, message)
        case .notFound(let message): (.notFound, message)
        case .dataLoss(let message): (.dataLoss, message)
        case .unavailable(let message, _): (.unavailable, message)
        case .internalError(let message): (.internal, message)
        }
    }

    static func retryAfterMillis(for error: ServiceError) -> UInt32 {
        if case .unavailable(_, let millis) = error { return millis }
        return 0
    }
}
