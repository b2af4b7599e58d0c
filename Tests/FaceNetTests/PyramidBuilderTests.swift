import XCTest
@testable import FaceNet

final class PyramidBuilderTests: XCTestCase {
    /// Values of dlib 19.24's input tensor for two_people.png (input_rgb_image_pyramid<pyramid_down<6>>::to_tensor,
    /// read back from the tensor it built), as float bit patterns: (x, y, [red, green, blue]) in the
    /// tiled image, at the centre, bottom-right and near the top-left of levels 0, 1, 2, 3, 5, 9,
    /// 14 and 23, and two padding pixels.
    private let dlibSamples: [(Int, Int, [UInt32])] = [
        (410, 245, [0x3E7CDF3C, 0x3E17FEFA, 0x3D4B3B68]),
        (810, 480, [0x3E886F9E, 0x3E63FEFA, 0x3E46CEDA]),
        (14, 12, [0x3EC86F9E, 0x3EABFF7D, 0x3E97676D]),
        (343, 686, [0x3E79497C, 0x3E149ADA, 0x3D4266E8]),
        (676, 881, [0x3E886F9E, 0x3E63FEFA, 0x3E46CEDA]),
        (14, 492, [0x3EC7758B, 0x3EA9E19D, 0x3E949170]),
        (288, 1054, [0x3E5D0EAD, 0x3E09FF5C, 0x3D8E0971]),
        (565, 1216, [0x3E886F9E, 0x3E63FEFA, 0x3E46CEDA]),
        (14, 893, [0x3ECA958C, 0x3EAC926B, 0x3E9432C1]),
        (241, 1361, [0x3E84992E, 0x3E207D3A, 0x3D2E63F7]),
        (472, 1496, [0x3E886F9E, 0x3E63FEFA, 0x3E46CEDA]),
        (14, 1228, [0x3ED753BD, 0x3EBE6AEC, 0x3EA01082]),
        (650, 1638, [0x3E8914C4, 0x3E2B98D7, 0x3D214114]),
        (810, 1731, [0x3E886FE4, 0x3E63FF92, 0x3E46CF3E]),
        (494, 1546, [0x3EF873A4, 0x3EF218DC, 0x3EE1F4F2]),
        (734, 1069, [0x3E87AE89, 0x3E4794E2, 0x3DCEEE1F]),
        (810, 1113, [0x3E886FE4, 0x3E63FF92, 0x3E46CF3E]),
        (661, 1026, [0x3EF5E4B7, 0x3EEFC1F7, 0x3ED4A35F]),
        (780, 731, [0x3EB5A75E, 0x3E9569C1, 0x3E46FEBC]),
        (810, 748, [0x3E886FE6, 0x3E63FF97, 0x3E46CF3E]),
        (754, 716, [0x3EA37C5B, 0x3E4D3CCC, 0x3DD8CB03]),
        (805, 501, [0x3D67B676, 0x3D56495F, 0x3D94F7F4]),
        (810, 503, [0x3E886FE6, 0x3E63FF97, 0x3E46CF3E]),
        (804, 500, [0x3E2AFCEF, 0x3DCEBF92, 0x3DCEFA36]),
        (5, 5, [0, 0, 0]),
        (700, 600, [0, 0, 0]),
    ]

    private func build(threads: Int, extraWidth: Int, extraHeight: Int) throws -> (tensor: [Float], width: Int, layout: TiledPyramidLayout) {
        let image = try DetectTestSupport.loadPNG(DetectTestSupport.referenceDirectory.appendingPathComponent("two_people.png"))
        let layout = TiledPyramidLayout(imageWidth: image.width, imageHeight: image.height, padding: 10, outerPadding: 11)
        let width = layout.width + extraWidth
        let height = layout.height + extraHeight
        var tensor = [Float](repeating: .nan, count: width * height * 3)
        var builder = PyramidBuilder()
        builder.threads = threads
        tensor.withUnsafeMutableBufferPointer {
            builder.build(image: image, layout: layout, settings: PyramidInputSettings(), into: $0.baseAddress!,
                          tensorWidth: width, tensorHeight: height)
        }
        return (tensor, width, layout)
    }

    func testTiledTensorEqualsDlibsBitForBit() throws {
        for threads in [1, 2] {
            let (tensor, width, layout) = try build(threads: threads, extraWidth: 10, extraHeight: 21)
            XCTAssertEqual([layout.width, layout.height], [822, 1743])
            for (x, y, bits) in dlibSamples {
                for c in 0..<3 {
                    XCTAssertEqual(tensor[(y * width + x) * 3 + c].bitPattern, bits[c], "(\(x), \(y)) channel \(c), \(threads) thread(s)")
                }
            }
            // Every value written: no NaN left, bucket margins are zero.
            XCTAssertFalse(tensor.contains { $0.isNaN })
            XCTAssertEqual(tensor[(1743 * width + 5) * 3], 0)
            XCTAssertEqual(tensor[(100 * width + 830) * 3 + 2], 0)
        }
    }

    func testFirstLevelIsTheNormalisedImage() throws {
        let image = try DetectTestSupport.loadPNG(DetectTestSupport.referenceDirectory.appendingPathComponent("two_people.png"))
        let (tensor, width, layout) = try build(threads: 2, extraWidth: 0, extraHeight: 0)
        let origin = layout.levels[0]
        for (x, y) in [(0, 0), (123, 45), (799, 469)] {
            let i = image.index(x: x, y: y)
            let t = ((origin.top + y) * width + origin.left + x) * 3
            XCTAssertEqual(tensor[t], (Float(image.pixels[i]) - 122.782) / 256)
            XCTAssertEqual(tensor[t + 1], (Float(image.pixels[i + 1]) - 117.001) / 256)
            XCTAssertEqual(tensor[t + 2], (Float(image.pixels[i + 2]) - 104.298) / 256)
        }
    }

    func testColumnTapsFollowDlibsFourWideBlocksAndScalarTail() {
        // 800 -> 666: x_scale = 799/665; the last column lands exactly on the last input pixel.
        let taps = PyramidResampler.columnTaps(inputWidth: 800, outputWidth: 666)
        XCTAssertEqual(taps.count, 666)
        XCTAssertEqual(taps[0].left, 0)
        XCTAssertEqual(taps[0].fraction, 0)
        XCTAssertTrue(taps.dropLast(4).allSatisfy { !$0.isTail && $0.right == $0.left + 1 && $0.right < 800 })
        XCTAssertTrue(taps.last!.isTail)
        XCTAssertEqual(taps.last!.right, 799)
        XCTAssertTrue(zip(taps, taps.dropFirst()).allSatisfy { $0.left <= $1.left })
    }
}
