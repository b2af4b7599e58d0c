import FaceImage
import Foundation
import XCTest
@testable import FaceNet

/// A face under the detector's 80 px window, in a small image, is found by the second pass at
/// twice the size; large images and callers that asked to skip small faces get no retry.
final class SmallFaceRetryTests: XCTestCase {
    /// obama_small.jpg (320x240, a 114 px face) at half size: a 57 px face in a 160x120 image.
    private func halfSizeFace() throws -> (image: RGBImage, fullSizeBox: FaceBox) {
        let bytes = [UInt8](try Data(contentsOf: PipelineFixtures.facesDir.appendingPathComponent("obama_small.jpg")))
        let full = try ImageDecoder.decode(bytes).image
        let pipeline = try FacePipeline(models: FacePipelineTests.models.get())
        let box = try XCTUnwrap(pipeline.detector.detect(full).first).box
        return (BilinearResampler.resize(full, width: full.width / 2, height: full.height / 2), box)
    }

    func testSmallImageWithoutAFaceAtFirstIsSearchedAtTwiceItsSize() throws {
        let (image, fullSizeBox) = try halfSizeFace()
        let pipeline = try FacePipeline(models: FacePipelineTests.models.get())
        XCTAssertEqual(try pipeline.detector.detect(image).count, 0, "the first pass must miss the 57 px face")
        let faces = try pipeline.detectFaces(image)
        XCTAssertEqual(faces.count, 1)
        let box = try XCTUnwrap(faces.first).box
        // In the half-size image's pixels: the full-size box halved, within 3 px.
        XCTAssertEqual(box.left, fullSizeBox.left / 2, accuracy: 3)
        XCTAssertEqual(box.top, fullSizeBox.top / 2, accuracy: 3)
        XCTAssertEqual(box.right, (fullSizeBox.right + 1) / 2 - 1, accuracy: 3)
        XCTAssertEqual(box.bottom, (fullSizeBox.bottom + 1) / 2 - 1, accuracy: 3)
    }

    func testTheWholePipelineDescribesTheSmallFace() throws {
        let (image, _) = try halfSizeFace()
        let pipeline = try FacePipeline(models: FacePipelineTests.models.get())
        let decoded = DecodedImage(image: image, originalWidth: image.width, originalHeight: image.height,
                                   format: .png, orientation: .topLeft)
        let analysis = try pipeline.analyze(decoded)
        let face = try XCTUnwrap(analysis.faces.first)
        XCTAssertEqual(face.embedding.count, 128)
        XCTAssertEqual(face.landmarks.count, 5)
        let quality = try XCTUnwrap(face.quality)
        XCTAssertLessThan(quality.eyeDistance, 40, "a face this small must be measurable as small")
    }

    func testACallerSkippingSmallFacesGetsNoRetry() throws {
        let (image, _) = try halfSizeFace()
        let pipeline = try FacePipeline(models: FacePipelineTests.models.get())
        XCTAssertEqual(try pipeline.detectFaces(image, minimumFaceSize: 100).count, 0)
    }

    func testLargeImagesGetNoRetry() throws {
        let (image, _) = try halfSizeFace()
        // The same small face inside a canvas past the retry's size limit stays unfound.
        let width = FacePipeline.smallImageRetryMaximumSide + 1
        var canvas = RGBImage(width: width, height: image.height,
                              pixels: [UInt8](repeating: 128, count: width * image.height * 3))
        for y in 0..<image.height {
            let from = y * image.width * 3
            canvas.pixels.replaceSubrange(y * canvas.width * 3..<y * canvas.width * 3 + image.width * 3,
                                          with: image.pixels[from..<from + image.width * 3])
        }
        let pipeline = try FacePipeline(models: FacePipelineTests.models.get())
        XCTAssertEqual(try pipeline.detectFaces(canvas).count, 0)
        let smallCanvas = RGBImage(width: image.width, height: image.height, pixels: image.pixels)
        XCTAssertEqual(try pipeline.detectFaces(smallCanvas).count, 1, "control: the same face is found in a small image")
    }
}
