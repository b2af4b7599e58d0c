import CProtobuf

public struct CallInfoMessage: Sendable, Equatable {
    public var requestID: String
    public var modelID: String
    public var serverTimeMillis: Double

    public init(requestID: String, modelID: String, serverTimeMillis: Double) {
        self.requestID = requestID
        self.modelID = modelID
        self.serverTimeMillis = serverTimeMillis
    }

    static func optional(_ pointer: UnsafeMutablePointer<Facematch__V1__CallInfo>?) -> CallInfoMessage? {
        pointer.map { CallInfoMessage(requestID: swiftString($0.pointee.request_id), modelID: swiftString($0.pointee.model_id),
                                      serverTimeMillis: $0.pointee.server_time_ms) }
    }

    func build(_ b: CMessageBuilder) -> UnsafeMutablePointer<Facematch__V1__CallInfo> {
        let c = b.message(facematch__v1__call_info__init)
        c.pointee.request_id = b.string(requestID)
        c.pointee.model_id = b.string(modelID)
        c.pointee.server_time_ms = serverTimeMillis
        return c
    }
}
