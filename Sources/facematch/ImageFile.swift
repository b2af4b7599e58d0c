import ArgumentParser
import FaceNet
import Foundation

/// Reads an image file, refusing before reading anything over the size limit.
enum ImageFile {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String, limits: DecodeLimits = .default) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError(description: "cannot open \(path)")
        }
        defer { try? handle.close() }
        // One byte past the limit is enough for the decoder to refuse the file with its own error.
        let data = try handle.read(upToCount: limits.maxBytes + 1) ?? Data()
        return [UInt8](data)
    }

    /// `read`, or `{"error": …}` (INVALID_ARGUMENT) and exit status 1 for a command's input file.
    static func input(_ path: String) throws -> [UInt8] {
        do {
            return try read(path)
        } catch {
            throw CLIOutput.fail(code: 3, name: "INVALID_ARGUMENT", message: "\(error)")
        }
    }
}
