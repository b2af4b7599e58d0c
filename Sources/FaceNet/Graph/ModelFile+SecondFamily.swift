/// The second family's files (scripts/setup-model2.sh checks the same sizes and hashes).
extension ModelFile {
    static let yunet = ModelFile(
        name: "yunet/face_detection_yunet_2023mar.onnx", size: 232_589,
        sha256: "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4")
    static let reidentificationGraph = ModelFile(
        name: "face-reidentification-retail-0095/FP16/face-reidentification-retail-0095.xml", size: 350_427,
        sha256: "ce53d2c9c08c0bd1c1660fb8a5b6d0e3e4ec19eb92f1036d2d83a85e83082dce")
    static let reidentificationWeights = ModelFile(
        name: "face-reidentification-retail-0095/FP16/face-reidentification-retail-0095.bin", size: 2_213_628,
        sha256: "241229ca3d206321868d46ce74a3c0b06c49cea58db7dc70b2e842ff287545d1")
}
