/// A PostgreSQL cluster holds one model's templates, and today that is dlib's 128-d descriptors
/// (the cluster's cache and vectors are 128-d). A `--postgres` server therefore refuses, at start
/// and on reload, applications whose `model` or `previous_model` is another one
/// (docs/service.md, "Current limits").
public enum ClusterModelLimit {
    public static let clusterModel: FaceModelID = .dlib

    public static func check(_ applications: [Application]) throws(ConfigError) {
        for application in applications {
            for model in application.models where model != clusterModel {
                throw .invalidSetting(
                    key: "postgres.url",
                    reason: "application \"\(application.id)\" uses model \(model.rawValue), but a PostgreSQL cluster "
                        + "holds \(clusterModel.rawValue) templates only (a current limit; see docs/service.md)")
            }
        }
    }
}
