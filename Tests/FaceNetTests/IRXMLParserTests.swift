@testable import FaceNet
import XCTest

final class IRXMLParserTests: XCTestCase {
    func testElementsAttributesEntitiesAndCommentsParse() throws {
        let xml = """
            <?xml version="1.0"?>
            <!-- a comment -->
            <net name="a &amp; b" version='11'>
              <layers><layer id="0" type="Parameter"/><!-- inside --><dim> 64 </dim></layers>
            </net>
            """
        let root = try IRXMLParser.parse(Array(xml.utf8))
        XCTAssertEqual(root.name, "net")
        XCTAssertEqual(root.attributes["name"], "a & b")
        XCTAssertEqual(root.attributes["version"], "11")
        let layers = try XCTUnwrap(root.child("layers"))
        XCTAssertEqual(layers.children.map(\.name), ["layer", "dim"])
        XCTAssertEqual(layers.child("dim")?.text, "64")
    }

    func testMismatchedAndUnknownMarkupIsRefused() {
        for bad in ["<a><b></a>", "<a x=\"&nope;\"/>", "<a><!DOCTYPE x></a>", "<a/><b/>", "<a x=1/>"] {
            XCTAssertThrowsError(try IRXMLParser.parse(Array(bad.utf8)), bad) { error in
                guard case .unreadable? = error as? ModelFormatError else { return XCTFail("\(bad): \(error)") }
            }
        }
    }
}
