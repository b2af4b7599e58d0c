/// The LFW evaluation cache (`eval-embed`) writes one JSON line per image with its keys in a
/// fixed order; the CLI's own output uses the Codable schema in OutputSchema.swift.
/// A JSON value that keeps its keys in the order they were given (Foundation's encoder does not
/// on Linux), printed compact or indented.
enum JSONValue {
    case string(String)
    case number(Double)
    case float(Float)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    func rendered(indent: Int? = nil) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        switch self {
        case let .string(s): Self.quote(s, into: &out)
        case let .number(d): out += d.isFinite ? Self.shortest(d) : "null"
        case let .float(f): out += f.isFinite ? Self.shortest(f) : "null"
        case .null: out += "null"
        case let .array(items):
            // Arrays of numbers (boxes, points, descriptors) stay on one line.
            let flat = indent == nil || items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            writeList(items.map { ("", $0) }, open: "[", close: "]", keyed: false, flat: flat, to: &out, indent: indent, level: level)
        case let .object(members):
            writeList(members, open: "{", close: "}", keyed: true, flat: indent == nil, to: &out, indent: indent, level: level)
        }
    }

    private func writeList(_ members: [(String, JSONValue)], open: String, close: String, keyed: Bool, flat: Bool,
                           to out: inout String, indent: Int?, level: Int) {
        out += open
        guard !members.isEmpty else { out += close; return }
        let pad = { (n: Int) in String(repeating: " ", count: (indent ?? 0) * n) }
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { out += flat && indent != nil ? ", " : "," }
            if !flat { out += "\n" + pad(level + 1) }
            if keyed {
                Self.quote(key, into: &out)
                out += indent == nil ? ":" : ": "
            }
            value.write(to: &out, indent: indent, level: level + 1)
        }
        if !flat { out += "\n" + pad(level) }
        out += close
    }

    /// Integers without a fraction, others in Swift's shortest round-tripping form.
    private static func shortest<T: BinaryFloatingPoint & LosslessStringConvertible>(_ v: T) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
