import ArgumentParser

/// The face-model families `--model` selects, by their published names.
enum FaceModelID: String, ExpressibleByArgument, CaseIterable {
    /// dlib's MMOD detector, 5-point shape predictor and ResNet (128-d descriptors, L2 distance).
    case dlib = "dlib_face_recognition_resnet_model_v1"
    /// YuNet detection with face-reidentification-retail-0095 (256-d embeddings, cosine similarity).
    case reidentification0095 = "face-reidentification-retail-0095"
}
