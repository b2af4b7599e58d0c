import Glibc

/// Checks that an answer came from the server holding `publicKey`, unaltered, for this call, and
/// fresh: its signature verifies over the `AnswerStatement` rebuilt from what was received, and
/// its server time is within `maxClockSkewMillis` of this machine's clock.
public struct AnswerVerifier: Sendable {
    public var publicKey: AnswerPublicKey
    /// How far the signed server time may be from this clock (either way): the clocks' disagreement
    /// plus the answer's age. A relying service that receives answers second-hand sets its own.
    public var maxClockSkewMillis: UInt64
    /// This machine's clock in Unix milliseconds (injectable for tests).
    public var now: @Sendable () -> UInt64

    public static let defaultMaxClockSkewMillis: UInt64 = 300_000

    public init(publicKey: AnswerPublicKey, maxClockSkewMillis: UInt64 = AnswerVerifier.defaultMaxClockSkewMillis,
                now: @escaping @Sendable () -> UInt64 = UnixClock.millis) {
        self.publicKey = publicKey
        self.maxClockSkewMillis = maxClockSkewMillis
        self.now = now
    }

    /// Checks the answer to `method` that arrived for `callID`, with the envelope's signature fields.
    public func check(method: RPCMethod, callID: UInt64, payload: [UInt8], signature: [UInt8], signingKeyID: String,
                      serverUnixMillis: UInt64) throws(AnswerSignatureError) {
        guard !signature.isEmpty else { throw .missing(method: method.rawValue) }
        guard signingKeyID == publicKey.keyID else { throw .otherKey(signedBy: signingKeyID, expected: publicKey.keyID) }
        let statement: AnswerStatement
        do {
            statement = try AnswerStatement(method: method, callID: callID, serverUnixMillis: serverUnixMillis,
                                            payload: payload)
        } catch {
            throw .invalid(method: method.rawValue)
        }
        guard publicKey.isValidSignature(signature, for: statement) else { throw .invalid(method: method.rawValue) }
        let clock = now()
        let skew = clock > serverUnixMillis ? clock - serverUnixMillis : serverUnixMillis - clock
        guard skew <= maxClockSkewMillis else {
            throw .stale(serverUnixMillis: serverUnixMillis, localUnixMillis: clock, allowedMillis: maxClockSkewMillis)
        }
    }

    /// `check` on a whole response envelope.
    public func check(method: RPCMethod, envelope: ResponseEnvelope) throws(AnswerSignatureError) {
        try check(method: method, callID: envelope.callID, payload: envelope.payload, signature: envelope.signature,
                  signingKeyID: envelope.signingKeyID, serverUnixMillis: envelope.serverUnixMillis)
    }
}

/// Why an answer's signature was not accepted.
public enum AnswerSignatureError: Error, Equatable, CustomStringConvertible {
    /// The answer carries no signature (an unsigned server, or one stripped in transit).
    case missing(method: String)
    /// Signed by another key than the one this client trusts.
    case otherKey(signedBy: String, expected: String)
    /// The signature does not match the answer: altered, meant for another call or method, or forged.
    case invalid(method: String)
    /// Signed too long ago, or in the future, by this machine's clock.
    case stale(serverUnixMillis: UInt64, localUnixMillis: UInt64, allowedMillis: UInt64)

    public var description: String {
        switch self {
        case .missing(let method): "the \(method) answer is not signed"
        case .otherKey(let signedBy, let expected):
            "the answer is signed by key \"\(signedBy)\", not the trusted key \(expected)"
        case .invalid(let method): "the \(method) answer's signature does not verify (altered, replayed or forged)"
        case .stale(let server, let local, let allowed):
            "the answer was signed at \(server) ms (Unix), \(Int64(bitPattern: local &- server)) ms before this clock's "
                + "\(local); at most \(allowed) ms allowed"
        }
    }
}

/// Wall-clock Unix time, for signing and checking answers.
public enum UnixClock {
    @Sendable public static func millis() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
