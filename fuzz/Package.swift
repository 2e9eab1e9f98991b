// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for each provider's verify + normalize path. A package of its own, so that the gateway's
// build never sees the sanitizer flags: build and run with fuzz/run.sh (docs/fuzzing.md).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let providers = ["stripe", "twilio", "shopify", "woocommerce", "nmi", "customerio"]

let package = Package(
    name: "hookgate-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "hookgate", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "FuzzHarness",
            dependencies: [
                .product(name: "HookGateProviders", package: "hookgate"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        )
    ]
        + providers.map { provider in
            .executableTarget(
                name: "fuzz-\(provider)", dependencies: ["FuzzHarness"], swiftSettings: swiftSettings,
                // gold fails (with an internal error) to link the fuzzer runtime beside SwiftPM's renamed entry point.
                linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
            )
        }
)
