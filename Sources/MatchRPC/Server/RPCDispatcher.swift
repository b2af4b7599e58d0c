import Foundation
import Logging
import NIOCore
import Wire

/// Decides what to do with one call: authenticate, find the method, decode its payload, and
/// either answer at once (errors, Health) or hand back the work to run on a worker. I/O-free:
/// the connection handler applies the plan.
final class RPCDispatcher: Sendable {
    public enum Plan {
        case reply(CallReply)
        /// Runs on a worker: decodes the payload, then does the call, checking its deadline.
        case work(@Sendable (ModelAnalyzers, CallDeadline) -> CallReply)
        /// The worker pool would not take the call now.
        case refused(AdmissionQueue<WorkerPool.Job>.Rejection)
    }

    private let registry: ApplicationRegistry
    private let service: MatchService
    private let isServing: @Sendable () -> Bool
    private let logger: Logger
    private let signingKey: AnswerSigningKey?

    public init(registry: ApplicationRegistry, service: MatchService,
                isServing: @escaping @Sendable () -> Bool, logger: Logger, signingKey: AnswerSigningKey? = nil) {
        self.registry = registry
        self.service = service
        self.isServing = isServing
        self.logger = logger
        self.signingKey = signingKey
    }

    /// Metrics label for a method name: unknown names collapse into one label, so a client
    /// cannot grow the metrics without bound.
    public static func metricLabel(_ method: String) -> String {
        RPCMethod(rawValue: method) != nil ? method : "unknown"
    }

    /// Runs on the event loop, so its cost must not grow with the frame: it authenticates, finds
    /// the method and asks admission; the payload is decoded later, on the worker.
    /// - Parameters:
    ///   - client: the connection's verified client certificate (nil: plaintext or none).
    ///   - admission: why the worker pool would refuse a call now (nil: it would take it).
    public func plan(_ call: IncomingCall, client: ClientCertificateIdentity? = nil,
                     admission: () -> AdmissionQueue<WorkerPool.Job>.Rejection? = { nil }) -> Plan {
        let id = call.callID
        guard let application = registry.authenticate(apiKey: call.apiKey) else {
            return .reply(CallReply(callID: id, status: .unauthenticated, message: "unknown API key"))
        }
        if let refusal = ClientCertificateBinding.refusal(application, client: client, callID: id) { return .reply(refusal) }
        guard let method = RPCMethod(rawValue: call.method) else {
            let name = String(call.method.unicodeScalars.prefix(64).map { $0.escaped(asASCII: true) }.joined())
            return .reply(CallReply(callID: id, status: .unimplemented, message: "unknown method \"\(name)\""))
        }
        // Health is answered here (its request is empty, so decoding it is cheap), even under overload.
        if method == .health {
            if case .refused(let reply) = Self.decode(call, method) { return .reply(reply) }
            return health(callID: id, application)
        }
        if let reason = admission() { return .refused(reason) }
        let service = self.service
        let meta = CallMetaSource(received: call.received)
        let logger = self.logger
        let signingKey = self.signingKey
        return .work { analyzers, deadline in
            let request: RPCRequest
            switch Self.decode(call, method) {
            case .decoded(let decoded): request = decoded
            case .refused(let reply): return reply
            }
            do throws(ServiceError) {
                let payload = try Self.run(request, service: service, application: application, analyzers: analyzers,
                                           deadline: deadline, meta: meta)
                let reply = CallReply(callID: id, status: .ok, payload: payload)
                guard let signingKey, method.isSigned else { return reply }
                return reply.signed(by: signingKey, method: method, requestID: meta.requestID)
            } catch {
                let (status, message) = Self.status(for: error)
                if status == .internal || status == .dataLoss {
                    logger.error("call failed", metadata: ["method": "\(method.rawValue)", "request_id": "\(meta.requestID)",
                                                           "application": "\(application.id)", "error": "\(message)"])
                }
                return CallReply(callID: id, status: status, message: message,
                                 retryAfterMillis: Self.retryAfterMillis(for: error))
            }
        }
    }

    private enum Decoded {
        case decoded(RPCRequest)
        case refused(CallReply)
    }

    private static func decode(_ call: IncomingCall, _ method: RPCMethod) -> Decoded {
        do {
            return .decoded(try RPCRequest(method: method, payload: Array(call.payload.readableBytesView)))
        } catch {
            return .refused(CallReply(callID: call.callID, status: .invalidArgument,
                                      message: "undecodable \(method.rawValue) request: \(error)"))
        }
    }

    private static func run(_ request: RPCRequest, service: MatchService, application app: Application,
                            analyzers: ModelAnalyzers, deadline: CallDeadline,
                            meta: CallMetaSource) throws(ServiceError) -> [UInt8] {
        switch request {
        case .compare(let request):
            try checkVendorData(request.vendorData)
            let report = try service.compare(source: request.sourceImage, target: request.targetImage, for: app,
                                             analyzers: analyzers, deadline: deadline)
            return WireMapping.encodeReport(report, vendorData: request.vendorData, meta: meta.now(model: report.model))
        case .verify(let request):
            try checkVendorData(request.vendorData)
            let report = try service.verify(subject: request.subjectID, image: request.image, for: app, analyzers: analyzers,
                                            deadline: deadline)
            return WireMapping.encodeReport(report, vendorData: request.vendorData, meta: meta.now(model: report.model))
        case .enroll(let request):
            try checkVendorData(request.vendorData)
            let outcome = try service.enroll(subject: request.subjectID, image: request.image, vendorData: request.vendorData,
                                             mode: WireMapping.mode(request.mode), for: app, analyzers: analyzers,
                                             deadline: deadline)
            return WireMapping.encodeEnroll(outcome, subject: request.subjectID, vendorData: request.vendorData,
                                            meta: meta.now(model: app.model))
        case .identify(let request):
            let outcome = try service.identify(image: request.image, topK: Int(request.topK), minScore: request.minScore,
                                               for: app, analyzers: analyzers, deadline: deadline)
            return WireMapping.encodeIdentify(outcome, meta: meta.now(model: app.model))
        case .deleteEnrollment(let request):
            try service.delete(subject: request.subjectID, for: app, deadline: deadline)
            return WireMapping.encodeDelete(subject: request.subjectID, meta: meta.now(model: app.model))
        case .health:
            throw .internalError("Health is answered on the event loop")
        }
    }

    /// The application's model and its store's counts; during a migration also the previous
    /// model and how many subjects still wait for a template of the application's model.
    private func health(callID: UInt64, _ application: Application) -> Plan {
        let stats = try? service.stores.store(for: application.model).stats(namespace: application.namespace)
        let payload = WireMapping.encodeHealth(serving: isServing(), application: application, stats: stats,
                                               replication: service.stores.replication,
                                               waitingSubjects: service.migration.waitingSubjects(application),
                                               signingKey: signingKey?.publicKey)
        return .reply(CallReply(callID: callID, status: .ok, payload: payload))
    }

    /// What every response reports about the call itself.
    public struct CallMeta: Sendable {
        public var requestID: String
        public var modelID: String
        public var serverMilliseconds: Double
    }

    /// Makes a call's `CallMeta` when its answer is encoded (the server time runs until then).
    struct CallMetaSource: Sendable {
        let requestID = UUID().uuidString.lowercased()
        let received: NIODeadline

        /// - Parameter model: the model whose embeddings the answer rests on.
        func now(model: FaceModelID) -> CallMeta {
            CallMeta(requestID: requestID, modelID: model.rawValue,
                     serverMilliseconds: Double((NIODeadline.now() - received).nanoseconds) / 1e6)
        }
    }

    /// vendor_data is echoed (and stored with enrolments): at most 256 bytes, as the contract says.
    public static let maxVendorDataBytes = 256

    private static func checkVendorData(_ bytes: [UInt8]) throws(ServiceError) {
        guard bytes.count > maxVendorDataBytes else { return }
        throw .invalidArgument("vendor_data has \(bytes.count) bytes, at most \(maxVendorDataBytes) allowed")
    }

    static func status(for error: ServiceError) -> (RPCStatusCode, String) {
        switch error {
        case .invalidArgument(let message): (.invalidArgument, message)
        case .deadlineExceeded(let message): (.deadlineExceeded, message)
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
