import CProtobuf

// The request payloads, one per method (proto/facematch.proto).

public struct CompareRequestMessage: WireMessage, Equatable {
    public var sourceImage: [UInt8]
    public var targetImage: [UInt8]
    public var vendorData: [UInt8]

    public init(sourceImage: [UInt8], targetImage: [UInt8], vendorData: [UInt8] = []) {
        self.sourceImage = sourceImage
        self.targetImage = targetImage
        self.vendorData = vendorData
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "CompareRequest", unpack: facematch__v1__compare_request__unpack,
                                 free: facematch__v1__compare_request__free_unpacked) { c in
            CompareRequestMessage(sourceImage: swiftBytes(c.source_image), targetImage: swiftBytes(c.target_image),
                                  vendorData: swiftBytes(c.vendor_data))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__compare_request__init)
        c.pointee.source_image = b.bytes(sourceImage)
        c.pointee.target_image = b.bytes(targetImage)
        c.pointee.vendor_data = b.bytes(vendorData)
        return packMessage(c, size: facematch__v1__compare_request__get_packed_size, pack: facematch__v1__compare_request__pack)
    }
}

public enum WireEnrollMode: UInt32, Sendable {
    case append = 0
    case replace = 1
}

public struct EnrollRequestMessage: WireMessage, Equatable {
    public var subjectID: String
    public var image: [UInt8]
    public var vendorData: [UInt8]
    public var mode: WireEnrollMode

    public init(subjectID: String, image: [UInt8], vendorData: [UInt8] = [], mode: WireEnrollMode = .append) {
        self.subjectID = subjectID
        self.image = image
        self.vendorData = vendorData
        self.mode = mode
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "EnrollRequest", unpack: facematch__v1__enroll_request__unpack,
                                 free: facematch__v1__enroll_request__free_unpacked) { c throws(WireDecodeError) in
            guard let mode = WireEnrollMode(rawValue: c.mode.rawValue) else {
                throw .invalidField("unknown enrol mode \(c.mode.rawValue)")
            }
            return EnrollRequestMessage(subjectID: swiftString(c.subject_id), image: swiftBytes(c.image),
                                        vendorData: swiftBytes(c.vendor_data), mode: mode)
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__enroll_request__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.image = b.bytes(image)
        c.pointee.vendor_data = b.bytes(vendorData)
        c.pointee.mode = Facematch__V1__EnrollMode(rawValue: mode.rawValue)
        return packMessage(c, size: facematch__v1__enroll_request__get_packed_size, pack: facematch__v1__enroll_request__pack)
    }
}

public struct VerifyRequestMessage: WireMessage, Equatable {
    public var subjectID: String
    public var image: [UInt8]
    public var vendorData: [UInt8]

    public init(subjectID: String, image: [UInt8], vendorData: [UInt8] = []) {
        self.subjectID = subjectID
        self.image = image
        self.vendorData = vendorData
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "VerifyRequest", unpack: facematch__v1__verify_request__unpack,
                                 free: facematch__v1__verify_request__free_unpacked) { c in
            VerifyRequestMessage(subjectID: swiftString(c.subject_id), image: swiftBytes(c.image),
                                 vendorData: swiftBytes(c.vendor_data))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__verify_request__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.image = b.bytes(image)
        c.pointee.vendor_data = b.bytes(vendorData)
        return packMessage(c, size: facematch__v1__verify_request__get_packed_size, pack: facematch__v1__verify_request__pack)
    }
}

public struct IdentifyRequestMessage: WireMessage, Equatable {
    public var image: [UInt8]
    /// 0 means the default (5).
    public var topK: UInt32
    public var minScore: Double

    public init(image: [UInt8], topK: UInt32 = 0, minScore: Double = 0) {
        self.image = image
        self.topK = topK
        self.minScore = minScore
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "IdentifyRequest", unpack: facematch__v1__identify_request__unpack,
                                 free: facematch__v1__identify_request__free_unpacked) { c in
            IdentifyRequestMessage(image: swiftBytes(c.image), topK: c.top_k, minScore: c.min_score)
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__identify_request__init)
        c.pointee.image = b.bytes(image)
        c.pointee.top_k = topK
        c.pointee.min_score = minScore
        return packMessage(c, size: facematch__v1__identify_request__get_packed_size, pack: facematch__v1__identify_request__pack)
    }
}

public struct DeleteEnrollmentRequestMessage: WireMessage, Equatable {
    public var subjectID: String

    public init(subjectID: String) { self.subjectID = subjectID }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "DeleteEnrollmentRequest",
                                 unpack: facematch__v1__delete_enrollment_request__unpack,
                                 free: facematch__v1__delete_enrollment_request__free_unpacked) { c in
            DeleteEnrollmentRequestMessage(subjectID: swiftString(c.subject_id))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__delete_enrollment_request__init)
        c.pointee.subject_id = b.string(subjectID)
        return packMessage(c, size: facematch__v1__delete_enrollment_request__get_packed_size,
                           pack: facematch__v1__delete_enrollment_request__pack)
    }
}

public struct HealthRequestMessage: WireMessage, Equatable {
    public init() {}

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "HealthRequest", unpack: facematch__v1__health_request__unpack,
                                 free: facematch__v1__health_request__free_unpacked) { _ in HealthRequestMessage() }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__health_request__init)
        return packMessage(c, size: facematch__v1__health_request__get_packed_size, pack: facematch__v1__health_request__pack)
    }
}
