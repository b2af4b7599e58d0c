import Foundation

/// The key of the development application used when the server runs without a config file.
/// It lives in `DIR/dev-api-key` (mode 0600), is created once with 256 random bits and reused
/// afterwards; only the file's path is ever logged.
public enum DevelopmentKey {
    public static let fileName = "dev-api-key"
    public static let applicationID = "dev"

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case cannotCreateDirectory(path: String, errno: Int32)
        case cannotWrite(path: String, errno: Int32)
        case cannotRead(path: String, errno: Int32)
        case empty(path: String)

        public var description: String {
            switch self {
            case .cannotCreateDirectory(let path, let e): "cannot create \(path): \(String(cString: strerror(e)))"
            case .cannotWrite(let path, let e): "cannot write \(path): \(String(cString: strerror(e)))"
            case .cannotRead(let path, let e): "cannot read \(path): \(String(cString: strerror(e)))"
            case .empty(let path): "\(path) is empty; delete it to get a new key"
            }
        }
    }

    public struct Loaded: Sendable {
        public let key: String
        public let path: String
        public let created: Bool
    }

    public static func loadOrCreate(directory: String) throws(Failure) -> Loaded {
        try makeDirectory(directory)
        let path = (directory as NSString).appendingPathComponent(fileName)
        let key = newKey()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd >= 0 {
            defer { close(fd) }
            let bytes = Array((key + "\n").utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw .cannotWrite(path: path, errno: errno) }
            return Loaded(key: key, path: path, created: true)
        }
        guard errno == EEXIST else { throw .cannotWrite(path: path, errno: errno) }
        return Loaded(key: try read(path), path: path, created: false)
    }

    /// Reads an existing key file and tightens its mode to 0600.
    public static func read(_ path: String) throws(Failure) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .cannotRead(path: path, errno: errno) }
        chmod(path, 0o600)
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw .empty(path: path) }
        return key
    }

    static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    private static func makeDirectory(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreateDirectory(path: path, errno: errno)
        }
    }
}
