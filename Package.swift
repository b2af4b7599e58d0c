// swift-tools-version:6.0
import PackageDescription

// Linux only (no platforms line: glibc, Debian's oneDNN and the other C libraries below are what
// it builds against). C libraries come from Debian packages installed by scripts/setup.sh:
// libturbojpeg0-dev, libpng-dev, libwebp-dev, libdnnl-dev, libprotobuf-c-dev, libssl-dev.
let package = Package(
    name: "facematch",
    products: [
        .executable(name: "facematch", targets: ["facematch"]),
        .library(name: "FaceNet", targets: ["FaceNet"]),
        .library(name: "EmbeddingStore", targets: ["EmbeddingStore"]),
        .library(name: "TemplateCrypto", targets: ["TemplateCrypto"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "MatchRPC", targets: ["MatchRPC"]),
        .library(name: "MatchClient", targets: ["MatchClient"]),
        .library(name: "EnrollmentCluster", targets: ["EnrollmentCluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        // TLS 1.3 and mutual TLS on the RPC and metrics ports, and in MatchClient.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C shims over system libraries.
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        // glibc's <malloc.h> (mallopt), for returning freed request buffers to the system.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // AES-256-GCM with a reusable context over the system OpenSSL (libssl-dev): the key schedule
        // once per key, not per template, for TemplateCrypto's sealed templates.
        .target(name: "CAESGCM", path: "Sources/CAESGCM", linkerSettings: [.linkedLibrary("crypto")]),
        // protobuf-c generated code (committed; regenerate with scripts/regen-proto.sh).
        .target(
            name: "CProtobuf",
            path: "Sources/CProtobuf",
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),
        // protobuf-c code for the ONNX messages FaceNet's ONNX reader needs (scripts/regen-proto.sh).
        .target(
            name: "CONNX",
            path: "Sources/CONNX",
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),

        // Image decoding: JPEG, PNG and WebP headers, EXIF and pixels of untrusted uploads, and
        // the Pillow-exact downscale. Built with every safety check (no -Ounchecked).
        .target(name: "FaceImage", dependencies: ["CTurboJPEG", "CPNG", "CWebP"]),
        // The networks and their numeric kernels (re-exports FaceImage). -Ounchecked is confined
        // here: its inputs are decoded pixels and model files whose SHA-256 FaceModels checked.
        .target(
            name: "FaceNet",
            dependencies: [
                "FaceImage", "CDNNL", "CONNX",
                // SHA-256 of the model files at startup (FaceModels).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        // The key hierarchy of templates at rest: master key file, per-subject data keys wrapped
        // by it, AES-256-GCM sealed templates (used by EmbeddingStore and EnrollmentCluster).
        .target(name: "TemplateCrypto", dependencies: ["CAESGCM", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "EmbeddingStore",
            dependencies: ["TemplateCrypto", .product(name: "Atomics", package: "swift-atomics")]
        ),
        // Crash-test child for the EmbeddingStore tests and scripts/store-crash-soak.sh.
        .executableTarget(name: "store-torture", dependencies: ["EmbeddingStore"]),
        .target(
            name: "Wire",
            dependencies: [
                "CProtobuf", .product(name: "NIOCore", package: "swift-nio"),
                // Ed25519 signed answers (Signing/): the server signs, clients verify.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libFuzzer target over framing and decoding (scripts/fuzz-wire.sh); replays files otherwise.
        .executableTarget(name: "WireFuzz", dependencies: ["Wire", .product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "MatchRPC",
            dependencies: [
                "Wire", "FaceNet", "EmbeddingStore", "CMalloc",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // Metrics: swift-metrics handlers, rendered by swift-prometheus's registry.
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
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
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // PostgreSQL as the system of record, the local EmbeddingStore as each node's cache (docs/scaling.md).
        .target(
            name: "EnrollmentCluster",
            dependencies: [
                "MatchRPC", "EmbeddingStore", "TemplateCrypto",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Every benchmark behind `facematch bench`, `bench-store` and `bench-rpc`, with one set
        // of timing, statistics and memory helpers; the libraries carry no benchmark code.
        .target(
            name: "Benchmarks",
            dependencies: [
                "FaceNet", "EmbeddingStore", "MatchClient", "Wire",
                // swift-crypto's AES-GCM, the baseline of bench-store's per-template decryption row.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "facematch",
            dependencies: [
                "MatchRPC", "MatchClient", "FaceNet", "EmbeddingStore", "Wire", "EnrollmentCluster", "Benchmarks", "TemplateCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test-only allocator interposer: counts heap allocations around inference.
        .target(name: "MallocCounter", path: "Tests/MallocCounter"),

        .testTarget(name: "FaceNetTests", dependencies: ["FaceNet", "FaceImage", "MallocCounter"]),
        // swift-crypto is the tests' reference AES-GCM, to check the OpenSSL shim against.
        .testTarget(name: "TemplateCryptoTests", dependencies: ["TemplateCrypto", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "EmbeddingStoreTests", dependencies: ["EmbeddingStore", "TemplateCrypto"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks"]),
        // The CLI's output schema and `store` commands, partly through the built binary.
        .testTarget(name: "facematchTests", dependencies: ["facematch", "EmbeddingStore", "FaceNet", "MatchRPC", "MatchClient"]),
        .testTarget(
            name: "EnrollmentClusterTests",
            dependencies: ["EnrollmentCluster", "EmbeddingStore", "FaceNet", "MatchRPC", "TemplateCrypto",
                           .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(
            name: "WireTests",
            dependencies: ["Wire", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(
            name: "MatchRPCTests",
            dependencies: ["MatchRPC", "MatchClient", "Wire", .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl")]
        ),
    ]
)
