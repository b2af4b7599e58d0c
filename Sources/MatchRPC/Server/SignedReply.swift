import Wire

extension CallReply {
    /// This answer signed by `key`: the signature covers `AnswerStatement` (method, call id, the
    /// server's clock now, the payload's request id, the payload). Runs on the worker, so the
    /// event loop never waits for a signature.
    func signed(by key: AnswerSigningKey, method: RPCMethod, requestID: String,
                now: () -> UInt64 = UnixClock.millis) -> CallReply {
        var reply = self
        reply.serverUnixMillis = now()
        reply.signingKeyID = key.publicKey.keyID
        reply.signature = key.sign(AnswerStatement(method: method, callID: callID, serverUnixMillis: reply.serverUnixMillis,
                                                   requestID: requestID, payload: payload))
        return reply
    }
}
