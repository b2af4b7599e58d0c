import FaceImage

extension FacePipeline {
    /// Images whose long side is at most this are searched again at twice their size when the
    /// detector finds no face in them. The retry costs at most one detection at the 800 px
    /// working size, the price of any large photo, so no image costs more than that twice.
    public static let smallImageRetryMaximumSide = 400

    /// The faces in `image`, largest first. The detector's window is 80 px, so a face under it is
    /// missed (LFW's Goldie_Hawn_0002 holds a 56 px face); a small image without a face is
    /// therefore searched again at twice its size, which finds faces down to 40 px, as dlib's
    /// `upsample_num_times = 1` would, but only when the first pass found nothing. Boxes come back
    /// in `image`'s pixels. A caller that raised `minimumFaceSize` above the window asked to skip
    /// small faces, and gets no retry; nor does one whose `shouldStop` says so after the first pass.
    public func detectFaces(_ image: RGBImage, minimumFaceSize: Int = FacePipeline.defaultMinimumFaceSize,
                            shouldStop: (@Sendable () -> Bool)? = nil) throws -> [FaceDetection] {
        let found = try detector.detect(image, minimumFaceSize: minimumFaceSize)
        guard found.isEmpty, minimumFaceSize <= FaceDetector.defaultMinimumFaceSize, image.width > 0, image.height > 0,
              max(image.width, image.height) <= Self.smallImageRetryMaximumSide, shouldStop?() != true else { return found }
        let doubled = BilinearResampler.resize(image, width: 2 * image.width, height: 2 * image.height)
        return try detector.detect(doubled).map { FaceDetection(box: $0.box.scaled(x: 0.5, y: 0.5), confidence: $0.confidence) }
    }
}
