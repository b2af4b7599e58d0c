import Foundation

/// Memory of a process from /proc/PID/status (Linux): this one's, or the server's under load.
public enum ProcessMemory {
    /// A `kB` field of /proc/PID/status (VmRSS: resident now, VmHWM: peak) in KiB; nil when
    /// unreadable (not Linux, or the process is gone).
    public static func kibibytes(_ field: String = "VmRSS", pid: Int32? = nil) -> Int? {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        return nil
    }

    /// The field in MiB.
    public static func mebibytes(_ field: String = "VmRSS", pid: Int32? = nil) -> Double? {
        kibibytes(field, pid: pid).map { Double($0) / 1024 }
    }
}
