import Foundation

/// Reading a plain-SQL `pg_dump` the way someone holding a stolen backup would: the rows of a
/// table's COPY block, and bytea values (`\\x` then hex digits in COPY's text format).
enum PostgresDump {
    /// Each row of `table`'s COPY block as column name → text value.
    static func rows(_ dump: String, table: String) -> [[String: String]] {
        let lines = dump.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("COPY public.\(table) (") }),
              let open = lines[header].firstIndex(of: "("), let close = lines[header].firstIndex(of: ")") else { return [] }
        let columns = lines[header][lines[header].index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[String: String]] = []
        for line in lines[(header + 1)...] {
            if line == "\\." { break }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            rows.append(Dictionary(uniqueKeysWithValues: zip(columns, fields)))
        }
        return rows
    }

    static func bytea(_ field: String?) -> [UInt8]? {
        guard let field, field.hasPrefix("\\\\x") else { return nil }
        let digits = Array(field.dropFirst(3).utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
