import CProtobuf

// The response payloads, one per method (proto/facematch.proto).

public struct MatchReportMessage: WireMessage, Equatable {
    public var status: WireMatchStatus
    public var score: Double
    /// nil when either side had no usable face.
    public var distance: Double?
    public var warnings: [WarningMessage]
    public var sourceFace: FaceMessage?
    public var targetFace: FaceMessage?
    public var vendorData: [UInt8]
    public var info: CallInfoMessage?

    public init(status: WireMatchStatus, score: Double, distance: Double?, warnings: [WarningMessage],
                sourceFace: FaceMessage?, targetFace: FaceMessage?, vendorData: [UInt8], info: CallInfoMessage?) {
        self.status = status
        self.score = score
        self.distance = distance
        self.warnings = warnings
        self.sourceFace = sourceFace
        self.targetFace = targetFace
        self.vendorData = vendorData
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "MatchReport", unpack: facematch__v1__match_report__unpack,
                                 free: facematch__v1__match_report__free_unpacked) { c in
            MatchReportMessage(status: WireMatchStatus(rawValue: c.status.rawValue) ?? .unspecified, score: c.score,
                               distance: c.distance_present != 0 ? c.distance : nil,
                               warnings: warningMessages(c.warnings, count: c.n_warnings),
                               sourceFace: FaceMessage.optional(c.source_face), targetFace: FaceMessage.optional(c.target_face),
                               vendorData: swiftBytes(c.vendor_data), info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__match_report__init)
        c.pointee.status = Facematch__V1__MatchStatus(rawValue: status.rawValue)
        c.pointee.score = score
        c.pointee.distance = distance ?? 0
        c.pointee.distance_present = distance == nil ? 0 : 1
        (c.pointee.n_warnings, c.pointee.warnings) = warnings.build(b)
        c.pointee.source_face = sourceFace?.build(b)
        c.pointee.target_face = targetFace?.build(b)
        c.pointee.vendor_data = b.bytes(vendorData)
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__match_report__get_packed_size, pack: facematch__v1__match_report__pack)
    }
}

public struct EnrollResultMessage: WireMessage, Equatable {
    public var subjectID: String
    public var enrolled: Bool
    public var face: FaceMessage?
    public var facesDetected: UInt32
    public var enrollmentCount: UInt32
    public var warnings: [WarningMessage]
    public var vendorData: [UInt8]
    public var info: CallInfoMessage?

    public init(subjectID: String, enrolled: Bool, face: FaceMessage?, facesDetected: UInt32, enrollmentCount: UInt32,
                warnings: [WarningMessage], vendorData: [UInt8], info: CallInfoMessage?) {
        self.subjectID = subjectID
        self.enrolled = enrolled
        self.face = face
        self.facesDetected = facesDetected
        self.enrollmentCount = enrollmentCount
        self.warnings = warnings
        self.vendorData = vendorData
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "EnrollResult", unpack: facematch__v1__enroll_result__unpack,
                                 free: facematch__v1__enroll_result__free_unpacked) { c in
            EnrollResultMessage(subjectID: swiftString(c.subject_id), enrolled: c.enrolled != 0,
                                face: FaceMessage.optional(c.face), facesDetected: c.faces_detected,
                                enrollmentCount: c.enrollment_count, warnings: warningMessages(c.warnings, count: c.n_warnings),
                                vendorData: swiftBytes(c.vendor_data), info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__enroll_result__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.enrolled = enrolled ? 1 : 0
        c.pointee.face = face?.build(b)
        c.pointee.faces_detected = facesDetected
        c.pointee.enrollment_count = enrollmentCount
        (c.pointee.n_warnings, c.pointee.warnings) = warnings.build(b)
        c.pointee.vendor_data = b.bytes(vendorData)
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__enroll_result__get_packed_size, pack: facematch__v1__enroll_result__pack)
    }
}

public struct IdentifyResultMessage: WireMessage, Equatable {
    public var candidates: [CandidateMessage]
    public var face: FaceMessage?
    public var warnings: [WarningMessage]
    public var info: CallInfoMessage?

    public init(candidates: [CandidateMessage], face: FaceMessage?, warnings: [WarningMessage], info: CallInfoMessage?) {
        self.candidates = candidates
        self.face = face
        self.warnings = warnings
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "IdentifyResult", unpack: facematch__v1__identify_result__unpack,
                                 free: facematch__v1__identify_result__free_unpacked) { c throws(WireDecodeError) in
            let candidates = try swiftArray(c.candidates, count: c.n_candidates) { k in
                CandidateMessage(subjectID: swiftString(k.subject_id), score: k.score, distance: k.distance)
            }
            return IdentifyResultMessage(candidates: candidates, face: FaceMessage.optional(c.face),
                                         warnings: warningMessages(c.warnings, count: c.n_warnings),
                                         info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__identify_result__init)
        let list = candidates.map { k -> UnsafeMutablePointer<Facematch__V1__Candidate> in
            let p = b.message(facematch__v1__candidate__init)
            p.pointee.subject_id = b.string(k.subjectID)
            p.pointee.score = k.score
            p.pointee.distance = k.distance
            return p
        }
        c.pointee.n_candidates = list.count
        c.pointee.candidates = b.array(list)
        c.pointee.face = face?.build(b)
        (c.pointee.n_warnings, c.pointee.warnings) = warnings.build(b)
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__identify_result__get_packed_size, pack: facematch__v1__identify_result__pack)
    }
}

public struct DeleteEnrollmentResultMessage: WireMessage, Equatable {
    public var subjectID: String
    public var deleted: Bool
    public var info: CallInfoMessage?

    public init(subjectID: String, deleted: Bool, info: CallInfoMessage?) {
        self.subjectID = subjectID
        self.deleted = deleted
        self.info = info
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "DeleteEnrollmentResult", unpack: facematch__v1__delete_enrollment_result__unpack,
                                 free: facematch__v1__delete_enrollment_result__free_unpacked) { c in
            DeleteEnrollmentResultMessage(subjectID: swiftString(c.subject_id), deleted: c.deleted != 0,
                                          info: CallInfoMessage.optional(c.info))
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__delete_enrollment_result__init)
        c.pointee.subject_id = b.string(subjectID)
        c.pointee.deleted = deleted ? 1 : 0
        c.pointee.info = info?.build(b)
        return packMessage(c, size: facematch__v1__delete_enrollment_result__get_packed_size,
                           pack: facematch__v1__delete_enrollment_result__pack)
    }
}

public struct HealthResultMessage: WireMessage, Equatable {
    public var serving: Bool
    public var modelID: String
    public var subjects: UInt64
    public var templates: UInt64
    public var storeBytes: UInt64

    public init(serving: Bool, modelID: String, subjects: UInt64, templates: UInt64, storeBytes: UInt64) {
        self.serving = serving
        self.modelID = modelID
        self.subjects = subjects
        self.templates = templates
        self.storeBytes = storeBytes
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "HealthResult", unpack: facematch__v1__health_result__unpack,
                                 free: facematch__v1__health_result__free_unpacked) { c in
            HealthResultMessage(serving: c.serving != 0, modelID: swiftString(c.model_id), subjects: c.subjects,
                                templates: c.templates, storeBytes: c.store_bytes)
        }
    }

    public func serialized() -> [UInt8] {
        let b = CMessageBuilder()
        let c = b.message(facematch__v1__health_result__init)
        c.pointee.serving = serving ? 1 : 0
        c.pointee.model_id = b.string(modelID)
        c.pointee.subjects = subjects
        c.pointee.templates = templates
        c.pointee.store_bytes = storeBytes
        return packMessage(c, size: facematch__v1__health_result__get_packed_size, pack: facematch__v1__health_result__pack)
    }
}
