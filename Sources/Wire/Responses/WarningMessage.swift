import CProtobuf

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

extension Array where Element == WarningMessage {
    func build(_ b: CMessageBuilder) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Facematch__V1__Warning>?>?) {
        (count, b.array(map { $0.build(b) }))
    }
}

func warningMessages(_ list: UnsafeMutablePointer<UnsafeMutablePointer<Facematch__V1__Warning>?>?, count: Int) -> [WarningMessage] {
    (try? swiftArray(list, count: count) { WarningMessage($0) }) ?? []
}
