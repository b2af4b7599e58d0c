// swift-tools-version:6.0
import PackageDescription

// C libraries come from Debian packages installed by scripts/setup.sh:
// libturbojpeg0-dev, libpng-dev, libwebp-dev, libdnnl-dev, libprotobuf-c-dev.
let package = Package(
    name: "facematch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "facematch", targets: ["facematch"]),
        .library(name: "FaceNet", targets: ["FaceNet"]),
        .library(name: "EmbeddingStore", targets: ["EmbeddingStore"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "MatchRPC", targets: ["MatchRPC"]),
        .library(name: "MatchClient", targets: ["MatchClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.2.0"),
    ],
    targets: [
        // C shims over system libraries.
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        // protobuf-c generated code (committed; regenerate with scripts/regen-proto.sh).
        .target(
            name: "CProtobuf",
            path: "Sources/CProtobuf",
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),
        // protobuf-c code for the ONNX messages FaceNet's ONNX reader needs (scripts/regen-onnx-proto.sh).
        .target(
            name: "CONNX",
            path: "Sources/CONNX",
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),

        .target(
            name: "FaceNet",
            dependencies: [
                "CTurboJPEG", "CPNG", "CWebP", "CDNNL", "CONNX",
                // SHA-256 of the model files at startup (FaceModels).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "EmbeddingStore",
            dependencies: [.product(name: "Atomics", package: "swift-atomics")]
        ),
        // Crash-test child for the EmbeddingStore tests and scripts/store-crash-soak.sh.
        .executableTarget(name: "store-torture", dependencies: ["EmbeddingStore"]),
        .target(
            name: "Wire",
            dependencies: ["CProtobuf", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // libFuzzer target over framing and decoding (scripts/fuzz-wire.sh); replays files otherwise.
        .executableTarget(name: "WireFuzz", dependencies: ["Wire", .product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "MatchRPC",
            dependencies: [
                "Wire", "FaceNet", "EmbeddingStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The async client library: Wire + NIO only, no engine.
        .target(
            name: "MatchClient",
            dependencies: [
                "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "facematch",
            dependencies: [
                "MatchRPC", "MatchClient", "FaceNet", "EmbeddingStore", "Wire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test-only allocator interposer: counts heap allocations around inference.
        .target(name: "MallocCounter", path: "Tests/MallocCounter"),

        .testTarget(name: "FaceNetTests", dependencies: ["FaceNet", "MallocCounter"]),
        .testTarget(name: "EmbeddingStoreTests", dependencies: ["EmbeddingStore"]),
        .testTarget(
            name: "WireTests",
            dependencies: ["Wire", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(
            name: "MatchRPCTests",
            dependencies: ["MatchRPC", "MatchClient", "Wire", .product(name: "NIOPosix", package: "swift-nio")]
        ),
    ]
)
