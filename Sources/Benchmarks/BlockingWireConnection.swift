import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Wire

/// The load generator's connection: a blocking TCP socket that sends one ready-made request frame
/// and reads the answer, on the calling thread. `bench-rpc` runs one per client thread, as wrk
/// does, so that on a small machine the benchmark spends as little CPU as it can and measures
/// the server rather than its own event loops and task hops.
/// `@unchecked Sendable`: handed to one thread, which alone uses it.
final class BlockingWireConnection: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case resolve(String)
        case socket(String, Int32)
        case closed
        case oversizeAnswer(Int)

        var description: String {
            switch self {
            case .resolve(let host): "cannot resolve \(host)"
            case .socket(let call, let code): "\(call): \(String(cString: strerror(code)))"
            case .closed: "connection closed before the answer"
            case .oversizeAnswer(let bytes): "answer frame of \(bytes) bytes"
            }
        }
    }

    private let fd: Int32
    private var header = [UInt8](repeating: 0, count: 4)

    init(host: String, port: Int, timeoutSeconds: Int = 60) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw Failure.resolve(host) }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw Failure.socket("socket", errno) }
        guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw Failure.socket("connect", code)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    deinit { close(fd) }

    /// Sends `frame` (a whole request frame) and returns the next answer.
    func call(frame: [UInt8]) throws -> ResponseEnvelope {
        try frame.withUnsafeBytes { try sendAll($0) }
        try header.withUnsafeMutableBytes { try receiveAll($0) }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= WireLimits.defaultMaxFrameBytes else { throw Failure.oversizeAnswer(length) }
        var body = [UInt8](repeating: 0, count: length)
        try body.withUnsafeMutableBytes { try receiveAll($0) }
        return try ResponseEnvelope(serialized: body)
    }

    private func sendAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure.socket("send", errno)
            }
            offset += sent
        }
    }

    private func receiveAll(_ bytes: UnsafeMutableRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let got = recv(fd, bytes.baseAddress! + offset, bytes.count - offset, 0)
            if got == 0 { throw Failure.closed }
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure.socket("recv", errno)
            }
            offset += got
        }
    }
}
