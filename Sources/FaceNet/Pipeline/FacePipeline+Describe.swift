extension FacePipeline {
    /// Landmarks (working-image pixels), the aligned chip and the descriptor (formed as `mode`
    /// says) of the face in `box`.
    public func describe(_ image: RGBImage, box: FaceBox, mode: DescriptorMode = .single)
        throws(FacePipelineError) -> (landmarks: [FacePoint], chip: RGBImage, embedding: [Float]) {
        let landmarks = models.shapePredictor.landmarks(in: image, box: box)
        let details: ChipDetails
        do { details = try ChipDetails.face(landmarks: landmarks, size: 150, padding: 0.25) } catch { throw .alignment(error) }
        let chip = FaceAligner.extract(from: image, details: details)
        var views = [chip]
        switch mode {
        case .single: break
        case .mirrorAveraged: views.append(ChipVariants.mirrored(chip))
        case let .jittered(count):
            for index in 0..<max(0, count - 1) {
                views.append(FaceAligner.extract(from: image, details: ChipVariants.jittered(details, index: index)))
            }
        }
        return (landmarks, chip, try meanDescriptor(of: views))
    }

    /// The mean of the views' descriptors (dlib's num_jitters averages the same way, without
    /// renormalising).
    public func meanDescriptor(of chips: [RGBImage]) throws(FacePipelineError) -> [Float] {
        var sum = [Float](repeating: 0, count: embedder.model.descriptorSize)
        for chip in chips {
            let descriptor: [Float]
            do { descriptor = try embedder.embed(chip: chip) } catch { throw .embedding("\(error)") }
            for i in sum.indices { sum[i] += descriptor[i] }
        }
        let n = Float(max(1, chips.count))
        return sum.map { $0 / n }
    }
}
