import EmbeddingStore
import Foundation

/// Where each model's enrolment store lives in the data directory: dlib's at its root (where the
/// only store lived before there were two models, so existing data directories keep working
/// unchanged), every other model's in `models/<model id>/`. Each is a complete `EmbeddingStore`
/// whose STORE file records its model id and dimension, so a store is never opened as another
/// model's.
///
///     data_dir/STORE, data_dir/namespaces/...          dlib_face_recognition_resnet_model_v1
///     data_dir/models/face-reidentification-retail-0095/STORE, .../namespaces/...
public enum LocalStoreLayout {
    public static let rootModel: FaceModelID = .dlib

    public static func directory(for model: FaceModelID, dataDirectory: String) -> String {
        model == rootModel ? dataDirectory : "\(dataDirectory)/models/\(model.rawValue)"
    }

    /// Opens (creating when missing) the store of each of `models`.
    public static func open(dataDirectory: String, models: [FaceModelID] = FaceModelID.allCases,
                            options: StoreOptions) throws -> [FaceModelID: EmbeddingStore] {
        var stores: [FaceModelID: EmbeddingStore] = [:]
        for model in models {
            if model != rootModel {
                // The store makes its own directory, not its parents; owner-only like the store's.
                try FileManager.default.createDirectory(atPath: "\(dataDirectory)/models", withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            stores[model] = try EmbeddingStore.open(directory: directory(for: model, dataDirectory: dataDirectory),
                                                    dimension: model.dimension, modelID: model.rawValue,
                                                    options: options.comparing(as: model))
        }
        return stores
    }
}
