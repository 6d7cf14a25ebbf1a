// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Fairway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fairway", targets: ["fairway"]),
        .executable(name: "fairway-bench", targets: ["FairwayBench"]),
        .executable(name: "fairway-example", targets: ["ExampleFramework"]),
        .library(name: "FrameworkKit", targets: ["FrameworkKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .target(
            name: "FairwayProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "FairwayCore",
            dependencies: [
                "FairwayProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "Allocator",
            dependencies: [
                "FairwayCore",
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "FairwayHTTP",
            dependencies: [
                "FairwayCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Master",
            dependencies: [
                "FairwayCore", "FairwayProto", "Allocator", "FairwayHTTP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Simulation",
            dependencies: ["FairwayCore", "FairwayProto", "Allocator", "Master"]
        ),
        .target(
            name: "Agent",
            dependencies: [
                "FairwayCore", "FairwayProto", "FairwayHTTP", "PodNetwork", "Spawning",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FrameworkKit",
            dependencies: [
                "FairwayCore", "FairwayProto", "FairwayHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(name: "BatchCore", dependencies: ["FairwayCore"]),
        .target(name: "PodCore", dependencies: ["FairwayCore"]),
        .target(
            name: "KubeAPI",
            dependencies: [
                "FairwayCore", "FairwayHTTP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(name: "Spawning"),
        .target(
            name: "PodNetwork",
            dependencies: [
                "Spawning",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "BatchRuntime",
            dependencies: [
                "BatchCore", "FairwayCore", "FairwayHTTP", "Spawning",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "BatchFramework",
            dependencies: [
                "BatchCore", "FairwayCore", "FairwayProto", "FairwayHTTP", "FrameworkKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "PodFramework",
            dependencies: [
                "PodCore", "KubeAPI", "PodNetwork", "FairwayCore", "FairwayProto", "FairwayHTTP", "FrameworkKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "FairwayTesting",
            dependencies: [
                "FairwayCore", "FairwayProto", "Allocator", "FairwayHTTP", "FrameworkKit",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "fairway",
            dependencies: [
                "FairwayCore", "Master", "Agent", "FrameworkKit", "FairwayHTTP", "Simulation",
                "BatchCore", "BatchFramework", "BatchRuntime", "PodFramework", "KubeAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ExampleFramework",
            dependencies: ["FrameworkKit", "FairwayProto", "FairwayCore", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "FairwayBench",
            dependencies: ["FairwayCore", "FairwayProto", "FrameworkKit", "FairwayHTTP", "FairwayTesting", "Allocator", "PodCore",
                           "PodFramework", "KubeAPI", "Master",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .testTarget(name: "FairwayCoreTests", dependencies: ["FairwayCore", "FairwayProto"]),
        .testTarget(name: "AllocatorTests", dependencies: ["Allocator", "FairwayTesting"]),
        .testTarget(name: "MasterTests", dependencies: ["Master", "FairwayTesting"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Allocator", "FairwayCore"]),
        .testTarget(name: "BatchCoreTests", dependencies: ["BatchCore", "FairwayCore"]),
        .testTarget(name: "PodCoreTests", dependencies: ["PodCore", "FairwayCore"]),
        .testTarget(
            name: "KubeAPITests",
            dependencies: ["KubeAPI", "FairwayCore", "FairwayHTTP", "FairwayTesting",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            exclude: ["fetch-kubectl-1.20.sh"]
        ),
        .testTarget(
            name: "PodFrameworkTests",
            dependencies: ["PodFramework", "PodCore", "KubeAPI", "FairwayCore", "FairwayProto"]
        ),
        .testTarget(
            name: "PodNetworkTests",
            dependencies: ["PodNetwork", "Spawning", "FairwayTesting", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "BatchRuntimeTests",
            dependencies: ["BatchRuntime", "BatchCore", "FairwayCore", "Agent", "FairwayHTTP", "FairwayTesting",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "AgentTests", dependencies: ["Agent", "FairwayCore", "FairwayProto"]),
        .testTarget(
            name: "FrameworkKitTests",
            dependencies: [
                "FrameworkKit", "FairwayCore", "FairwayProto", "FairwayHTTP", "FairwayTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["FrameworkKit", "FairwayHTTP", "FairwayCore", "FairwayProto", "FairwayTesting",
                           .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
