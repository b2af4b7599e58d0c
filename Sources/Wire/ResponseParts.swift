import CProtobuf

// Sub-messages shared by the response payloads.

public enum WireMatchStatus: UInt32, Sendable {
    case unspecified = 0, approved = 1, inReview = 2, declined = 3
}

public enum WireLogType: UInt32, Sendable {
    case unspecified = 0, information = 1, warning = 2, error = 3
}

public struct WarningMessage: Sendable, Equatable {
    public var risk: String
    public var logType: WireLogType
    public var shortDescription: String
    public var longDescription: String

    public init(risk: String, logType: WireLogType, shortDescription: String, longDescription: String) {
        self.risk = risk
        self.logType = logType
        self.shortDescription = shortDescription
        self.longDescription = longDescription
    }

    init(_ c: Facematch__V1__Warning) {
        self.init(risk: swiftString(c.risk), logType: WireLogType(rawValue: c.log_type.rawValue) ?? .unspecified,
                  shortDescription: swiftString(c.short_description), longDescription: swiftString(c.long_description))
    }

    func build(_ b: CMessageBuilder) -> UnsafeMutablePointer<Facematch__V1__Warning> {
        let c = b.message(facematch__v1__warning__init)
        c.pointee.risk = b.string(risk)
        c.pointee.log_type = Facematch__V1__LogType(rawValue: logType.rawValue)
        c.pointee.short_description = b.string(shortDescription)
        c.pointee.long_description = b.string(longDescription)
        return c
    }
}

/// A face in an image's upright pixel frame; right and bottom inclusive.
public struct FaceMessage: Sendable, Equatable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double
    public var confidence: Float
    /// (x, y) pairs.
    public var landmarks: [[Double]]

    public init(left: Double, top: Double, right: Double, bottom: Double, confidence: Float, landmarks: [[Double]]) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
        self.confidence = confidence
        self.landmarks = landmarks
    }

    init(_ c: Facematch__V1__Face) {
        var points: [[Double]] = []
        if let list = c.landmarks {
            for i in 0..<c.n_landmarks { if let p = list[i] { points.append([p.pointee.x, p.pointee.y]) } }
        }
        self.init(left: c.left, top: c.top, right: c.right, bottom: c.bottom, confidence: c.confidence, landmarks: points)
    }

    static func optional(_ pointer: UnsafeMutablePointer<Facematch__V1__Face>?) -> FaceMessage? {
        pointer.map { FaceMessage($0.pointee) }
    }

    func build(_ b: CMessageBuilder) -> UnsafeMutablePointer<Facematch__V1__Face> {
        let c = b.message(facematch__v1__face__init)
        c.pointee.left = left
        c.pointee.top = top
        c.pointee.right = right
        c.pointee.bottom = bottom
        c.pointee.confidence = confidence
        let points = landmarks.map { xy -> UnsafeMutablePointer<Facematch__V1__Point> in
            let p = b.message(facematch__v1__point__init)
            p.pointee.x = xy.first ?? 0
            p.pointee.y = xy.count > 1 ? xy[1] : 0
            return p
        }
        c.pointee.n_landmarks = points.count
        c.pointee.landmarks = b.array(points)
        return c
    }
}

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

public struct CandidateMessage: Sendable, Equatable {
    public var subjectID: String
    public var score: Double
    public var distance: Double

    public init(subjectID: String, score: Double, distance: Double) {
        self.subjectID = subjectID
        self.score = score
        self.distance = distance
    }
}

extension Array where Element == WarningMessage {
    func build(_ b: CMessageBuilder) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Facematch__V1__Warning>?>?) {
        (count, b.array(map { $0.build(b) }))
    }
}

func warningMessages(_ list: UnsafeMutablePointer<UnsafeMutablePointer<Facematch__V1__Warning>?>?, count: Int) -> [WarningMessage] {
    (try? swiftArray(list, count: count) { WarningMessage($0) }) ?? []
}
