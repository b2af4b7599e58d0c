@testable import FaceNet
import Foundation
import XCTest

/// The ONNX and OpenVINO IR readers: what they build from the real models, and what they refuse.
final class Model2ReaderTests: XCTestCase {
    private func bytes(_ file: ModelFile) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Model2Fixtures.modelDirectory).appendingPathComponent(file.name)))
    }

    private func convolutions(_ graph: GraphModel) -> [GraphConvolution] {
        graph.nodes.compactMap { if case let .convolution(c) = $0.op { return c } else { return nil } }
    }

    func testYuNetReadsWithActivationsFusedIntoItsConvolutions() throws {
        let graph = try ONNXModelReader.read(bytes: bytes(.yunet))
        let convs = convolutions(graph)
        XCTAssertEqual(convs.count, 53)
        XCTAssertEqual(convs.filter { $0.groups > 1 }.count, 20, "depthwise convolutions")
        XCTAssertEqual(convs.filter { $0.activation == .relu }.count, 15, "every Relu follows a convolution")
        XCTAssertEqual(graph.outputs.map(\.name).sorted(),
                       ["bbox_16", "bbox_32", "bbox_8", "cls_16", "cls_32", "cls_8", "kps_16", "kps_32", "kps_8", "obj_16", "obj_32", "obj_8"])
        let shapes = try graph.shapes(height: 544, width: 800)
        XCTAssertEqual(shapes[try XCTUnwrap(graph.value(named: "kps_8"))], TensorShape(height: 68, width: 100, channels: 10))
    }

    func testReidentificationIRReadsWithBiasAndActivationsFused() throws {
        let graph = try OpenVINOIRReader.read(xml: bytes(.reidentificationGraph), weights: bytes(.reidentificationWeights))
        let convs = convolutions(graph)
        XCTAssertEqual(convs.count, 63 + 17)
        XCTAssertEqual(convs.filter { $0.groups > 1 }.count, 17)
        XCTAssertEqual(convs.filter { if case .leakyRelu = $0.activation { return true } else { return false } }.count, 48)
        XCTAssertEqual(convs.filter { $0.activation == .sigmoid }.count, 15)
        let kinds = graph.nodes.map { node -> String in
            switch node.op {
            case .convolution: return "conv"
            case .add: return "add"
            case .multiplyChannels: return "scale"
            case .globalAveragePool: return "pool"
            case .channelAffine: return "affine"
            default: return "other"
            }
        }
        XCTAssertEqual(kinds.filter { $0 == "scale" }.count, 15)
        XCTAssertEqual(kinds.filter { $0 == "pool" }.count, 15)
        XCTAssertEqual(kinds.filter { $0 == "affine" }.count, 1, "the input scaling, merged into one affine")
        XCTAssertEqual(kinds.filter { $0 == "other" }.count, 0)
    }

    func testONNXWithAnUnknownOperationIsRefused() {
        let model = ProtobufWriter.onnxModel(operation: "Gelu")
        XCTAssertThrowsError(try ONNXModelReader.read(bytes: model)) { error in
            XCTAssertEqual(error as? ModelFormatError, .unsupportedOperation(node: "g", operation: "Gelu"))
        }
    }

    func testONNXConstantWithOverflowingDimsIsRefused() {
        let huge = 1 << 40
        let tensor = ProtobufWriter.field(1, int: huge) + ProtobufWriter.field(1, int: huge) + ProtobufWriter.field(2, int: 1)
            + ProtobufWriter.field(8, "w")
        let model = ProtobufWriter.onnxModel(operation: "Relu", initializer: tensor)
        XCTAssertThrowsError(try ONNXModelReader.read(bytes: model)) { error in
            guard case .badConstant(name: "w", _)? = error as? ModelFormatError else { return XCTFail("\(error)") }
        }
    }

    func testBytesThatAreNotONNXAreRefused() {
        XCTAssertThrowsError(try ONNXModelReader.read(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])) { error in
            guard case .unreadable(format: "ONNX", _)? = error as? ModelFormatError else { return XCTFail("\(error)") }
        }
    }

    func testIRWithAnUnknownOperationIsRefused() throws {
        var xml = String(decoding: try bytes(.reidentificationGraph), as: UTF8.self)
        let sigmoid = try XCTUnwrap(xml.range(of: "type=\"Sigmoid\""))
        xml.replaceSubrange(sigmoid, with: "type=\"Swish\"")
        XCTAssertThrowsError(try OpenVINOIRReader.read(xml: Array(xml.utf8), weights: bytes(.reidentificationWeights))) { error in
            guard case let .unsupportedOperation(node, operation)? = error as? ModelFormatError else { return XCTFail("\(error)") }
            XCTAssertEqual(operation, "Swish")
            XCTAssertTrue(node.contains("Swish"), node)
        }
    }

    func testIRPaddingBeyondTheLimitIsRefused() throws {
        var xml = String(decoding: try bytes(.reidentificationGraph), as: UTF8.self)
        let pads = try XCTUnwrap(xml.range(of: "pads_begin=\"1, 1\""))
        xml.replaceSubrange(pads, with: "pads_begin=\"4611686018427387904, 1\"")
        XCTAssertThrowsError(try OpenVINOIRReader.read(xml: Array(xml.utf8), weights: bytes(.reidentificationWeights))) { error in
            guard case let .unsupportedAttribute(_, detail)? = error as? ModelFormatError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("at most 1024"), detail)
        }
    }

    func testIRConstantBeyondTheWeightsFileIsRefused() throws {
        let weights = try bytes(.reidentificationWeights)
        XCTAssertThrowsError(try OpenVINOIRReader.read(xml: bytes(.reidentificationGraph), weights: Array(weights.prefix(100_000)))) { error in
            guard case let .badConstant(_, detail)? = error as? ModelFormatError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("outside the 100000-byte .bin"), detail)
        }
    }

    func testMalformedIRXMLIsRefused() {
        XCTAssertThrowsError(try OpenVINOIRReader.read(xml: Array("<net version=\"11\"><layers>".utf8), weights: [])) { error in
            guard case .unreadable(format: "OpenVINO IR XML", _)? = error as? ModelFormatError else { return XCTFail("\(error)") }
        }
    }

    func testModelFilesWithTheWrongChecksumAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("model2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in [ModelFile.yunet, .reidentificationGraph, .reidentificationWeights] {
            var content = try bytes(file)
            if file != .reidentificationGraph { content[content.count / 2] ^= 0x01 }
            let url = directory.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content).write(to: url)
        }
        XCTAssertThrowsError(try YuNetModel(directory: directory.path)) { error in
            guard case let .checksumMismatch(file, expected, _)? = error as? FaceModelsError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, ModelFile.yunet.name)
            XCTAssertEqual(expected, ModelFile.yunet.sha256)
        }
        XCTAssertThrowsError(try ReIDModel(directory: directory.path)) { error in
            guard case let .checksumMismatch(file, _, _)? = error as? FaceModelsError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, ModelFile.reidentificationWeights.name)
        }
    }

    func testAMissingModelIsNamed() {
        XCTAssertThrowsError(try YuNetModel(directory: "/nonexistent-models")) { error in
            XCTAssertEqual(error as? FaceModelsError, .missing(file: ModelFile.yunet.name, directory: "/nonexistent-models"))
        }
    }
}

/// Just enough protobuf encoding to build small ONNX models in tests.
enum ProtobufWriter {
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(v & 0x7F) | (v > 0x7F ? 0x80 : 0))
            v >>= 7
        } while v > 0
        return out
    }

    static func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] { varint(UInt64(number << 3 | 2)) + varint(UInt64(payload.count)) + payload }
    static func field(_ number: Int, _ text: String) -> [UInt8] { field(number, Array(text.utf8)) }
    static func field(_ number: Int, int value: Int) -> [UInt8] { varint(UInt64(number << 3)) + varint(UInt64(value)) }

    /// A model with one input x [1, 3, 8, 8] and one node named "g" of `operation` from x to y.
    static func onnxModel(operation: String, initializer: [UInt8] = []) -> [UInt8] {
        let dims = [1, 3, 8, 8].flatMap { field(1, field(1, int: $0)) }
        let type = field(1, field(1, int: 1) + field(2, dims))
        let input = field(1, "x") + field(2, type)
        let node = field(1, "x") + field(2, "y") + field(3, "g") + field(4, operation)
        let graph = field(1, node) + (initializer.isEmpty ? [] : field(5, initializer)) + field(11, input) + field(12, field(1, "y"))
        return field(1, int: 7) + field(7, graph)
    }
}
