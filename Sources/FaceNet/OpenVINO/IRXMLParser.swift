/// A small XML reader for OpenVINO IR graphs: elements, attributes, text; the prolog, comments and
/// the five predefined entities. No DTDs, namespaces or CDATA: an IR file never has them, and one
/// that does is refused as unreadable rather than half-read.
struct IRXMLElement {
    var name: String
    var attributes: [String: String]
    var children: [IRXMLElement]
    var text: String

    func child(_ name: String) -> IRXMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [IRXMLElement] { children.filter { $0.name == name } }
}

struct IRXMLParser {
    private let bytes: [UInt8]
    private var i = 0

    static func parse(_ bytes: [UInt8]) throws(ModelFormatError) -> IRXMLElement {
        var parser = IRXMLParser(bytes: bytes)
        parser.skipMisc()
        let root = try parser.element()
        parser.skipMisc()
        guard parser.i == bytes.count else { throw parser.failure("content after the root element") }
        return root
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func failure(_ what: String) -> ModelFormatError {
        .unreadable(format: "OpenVINO IR XML", reason: "\(what) at byte \(i)")
    }

    private func starts(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= bytes.count && bytes[i..<(i + u.count)].elementsEqual(u)
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    /// Whitespace, the `<?xml ...?>` declaration and comments between elements.
    private mutating func skipMisc() {
        while true {
            skipSpace()
            if starts("<?") { skip(past: "?>") } else if starts("<!--") { skip(past: "-->") } else { return }
        }
    }

    private mutating func skip(past end: String) {
        while i < bytes.count, !starts(end) { i += 1 }
        i = min(bytes.count, i + end.utf8.count)
    }

    private mutating func name() throws(ModelFormatError) -> String {
        let start = i
        while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D
                                 || bytes[i] == UInt8(ascii: "=") || bytes[i] == UInt8(ascii: ">") || bytes[i] == UInt8(ascii: "/")) { i += 1 }
        guard i > start else { throw failure("expected a name") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func element() throws(ModelFormatError) -> IRXMLElement {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { throw failure("expected an element") }
        i += 1
        var node = IRXMLElement(name: try name(), attributes: [:], children: [], text: "")
        while true {
            skipSpace()
            guard i < bytes.count else { throw failure("unterminated tag <\(node.name)>") }
            if starts("/>") { i += 2; return node }
            if bytes[i] == UInt8(ascii: ">") { i += 1; break }
            let key = try name()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw failure("expected = after \(key)") }
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { throw failure("expected a quoted value") }
            let quote = bytes[i]
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != quote { i += 1 }
            guard i < bytes.count else { throw failure("unterminated attribute \(key)") }
            node.attributes[key] = try Self.unescape(bytes[start..<i], at: start)
            i += 1
        }
        var text: [UInt8] = []
        while true {
            guard i < bytes.count else { throw failure("unterminated element <\(node.name)>") }
            if starts("</") {
                i += 2
                let closing = try name()
                skipSpace()
                guard closing == node.name, i < bytes.count, bytes[i] == UInt8(ascii: ">") else {
                    throw failure("</\(closing)> closes <\(node.name)>")
                }
                i += 1
                node.text = try Self.unescape(text[...], at: i).trimmingSpace()
                return node
            } else if starts("<!--") {
                skip(past: "-->")
            } else if starts("<!") || starts("<?") {
                throw failure("unsupported markup")
            } else if bytes[i] == UInt8(ascii: "<") {
                node.children.append(try element())
            } else {
                text.append(bytes[i])
                i += 1
            }
        }
    }

    private static func unescape(_ raw: ArraySlice<UInt8>, at offset: Int) throws(ModelFormatError) -> String {
        let s = String(decoding: raw, as: UTF8.self)
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else {
                throw .unreadable(format: "OpenVINO IR XML", reason: "bare & near byte \(offset)")
            }
            switch rest[rest.index(after: amp)..<semi] {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "quot": out += "\""
            case "apos": out += "'"
            case let other: throw .unreadable(format: "OpenVINO IR XML", reason: "unknown entity &\(other); near byte \(offset)")
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}

extension String {
    fileprivate func trimmingSpace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
