// swift-tools-version: 6.0
// Banyan: a modular monolith with a strangler-fig gateway.
//
// Module boundaries are enforced here: another module may depend on `XAPI`,
// never on `X` (its Core). Only a module's own `XModule` target (its
// descriptor and facade, for composition) and the composition roots
// (Gateway, Services) see Core targets. `Tests/ArchitectureTests` reads `swift package
// dump-package` and fails on any forbidden edge; `scripts/test` builds with
// `--explicit-target-dependency-import-check error` so an import that is not
// a declared dependency fails the build.
import PackageDescription

let package = Package(
    name: "Banyan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "banyan", targets: ["banyan"]),
        .executable(name: "payments-service", targets: ["payments-service"]),
        .executable(name: "inventory-service", targets: ["inventory-service"]),
        .executable(name: "auth-service", targets: ["auth-service"]),
        .executable(name: "restaurant-service", targets: ["restaurant-service"]),
        .executable(name: "orders-service", targets: ["orders-service"]),
        .executable(name: "chatbot-service", targets: ["chatbot-service"]),
        .executable(name: "processor-sim", targets: ["processor-sim"]),
    ],
    targets: [
        // C system libraries. Installed by scripts/ through apt.
        .systemLibrary(
            name: "CPostgres", path: "Modules/Platform/System/CPostgres",
            pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Modules/Platform/System/CCurl",
            pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CCrypto", path: "Modules/Platform/System/CCrypto",
            pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLinux", path: "Modules/Platform/System/CLinux"),

        // Platform: the shared kernel. No business logic.
        .target(name: "Platform", path: "Modules/Platform/Common"),
        // Metrics: Prometheus counters, gauges, histograms and collectors, and their text exposition.
        .target(name: "Metrics", dependencies: ["Platform"], path: "Modules/Platform/Metrics"),
        .target(name: "HTTPServer", dependencies: ["CLinux", "Platform", "Metrics"], path: "Modules/Platform/HTTPServer"),
        .target(name: "HTTPClient", dependencies: ["CCurl"], path: "Modules/Platform/HTTPClient"),
        .target(name: "Postgres", dependencies: ["CPostgres", "Platform", "Signals"], path: "Modules/Platform/Postgres"),
        // Signals: each module's calls, CPU, database time, latency and errors over the last minute and hour.
        .target(name: "Signals", path: "Modules/Platform/Signals"),
        .target(name: "Security", dependencies: ["CCrypto", "Platform"], path: "Modules/Platform/Security"),

        // Auth: users, roles, credentials, tenants.
        .target(name: "AuthAPI", dependencies: ["Platform", "Facade"], path: "Modules/Auth/API"),
        .target(
            name: "Auth", dependencies: ["AuthAPI", "Platform", "Postgres", "Security", "Facade"],
            path: "Modules/Auth/Core"),
        .target(
            name: "AuthContract", dependencies: ["AuthAPI", "Platform", "Contract"],
            path: "Modules/Auth/Contract"),
        .target(
            name: "AuthModule",
            dependencies: ["AuthAPI", "Auth", "AuthContract", "Bootstrap", "Contract", "Facade", "Platform", "Security"],
            path: "Modules/Auth/Module"),

        // Facade transport: operation tables, local and HTTP transports, service tokens, service host.
        .target(
            name: "Facade", dependencies: ["Platform", "Security", "HTTPClient", "HTTPServer", "Signals", "Metrics"],
            path: "Modules/Platform/Facade"),
        // Contract: running a module's contract cases against a provider, and reporting them (CLI, JUnit).
        .target(
            name: "Contract", dependencies: ["Platform", "Security", "HTTPClient", "Facade"],
            path: "Modules/Platform/Contract"),
        // Bootstrap: what every executable does at start (database, secrets, signals, routing, serving a table).
        .target(
            name: "Bootstrap",
            dependencies: [
                "Platform", "Postgres", "Security", "HTTPServer", "Facade", "Contract", "Flags", "Routing", "Metrics",
            ],
            path: "Modules/Platform/Bootstrap"),
        // Flags: flags.json, validated, watched, served as immutable snapshots.
        .target(name: "Flags", dependencies: ["Platform", "Security"], path: "Modules/Platform/Flags"),
        // FlagsControl: versions, edits, canonical layout, preview and atomic replacement of flags.json.
        .target(
            name: "FlagsControl", dependencies: ["Platform", "Flags", "Security"], path: "Modules/Platform/FlagsControl"),
        // FlagsAudit: the append-only trail of flags.json changes and applications (the `ops` schema).
        .target(name: "FlagsAudit", dependencies: ["Platform", "Postgres", "Flags"], path: "Modules/Platform/FlagsAudit"),
        // Routing: every process's outgoing module calls, to each module's home by flags.json.
        .target(name: "Routing", dependencies: ["Platform", "Facade", "Flags", "Metrics"], path: "Modules/Platform/Routing"),

        // Events: transactional outbox per module, delivered after commit.
        .target(name: "Events", dependencies: ["Platform", "Postgres"], path: "Modules/Platform/Events"),

        // Restaurant: profile, menu, prices, kitchen tickets.
        .target(name: "RestaurantAPI", dependencies: ["Platform", "Facade"], path: "Modules/Restaurant/API"),
        .target(
            name: "Restaurant", dependencies: ["RestaurantAPI", "Platform", "Postgres", "Events", "Facade"],
            path: "Modules/Restaurant/Core"),
        .target(
            name: "RestaurantContract", dependencies: ["RestaurantAPI", "Platform", "Contract"],
            path: "Modules/Restaurant/Contract"),
        .target(
            name: "RestaurantModule",
            dependencies: ["RestaurantAPI", "Restaurant", "RestaurantContract", "Bootstrap", "Contract", "Facade"],
            path: "Modules/Restaurant/Module"),

        // Inventory: stock and reservations.
        .target(name: "InventoryAPI", dependencies: ["Platform", "Facade"], path: "Modules/Inventory/API"),
        .target(
            name: "Inventory", dependencies: ["InventoryAPI", "Platform", "Postgres", "Events", "Facade"],
            path: "Modules/Inventory/Core"),
        .target(
            name: "InventoryContract", dependencies: ["InventoryAPI", "Platform", "Contract"],
            path: "Modules/Inventory/Contract"),
        .target(
            name: "InventoryModule",
            dependencies: ["InventoryAPI", "Inventory", "InventoryContract", "Bootstrap", "Contract", "Facade"],
            path: "Modules/Inventory/Module"),

        // Payments: charges, refunds, idempotency, the card processor adapter.
        .target(name: "PaymentsAPI", dependencies: ["Platform", "Facade"], path: "Modules/Payments/API"),
        .target(
            name: "Payments", dependencies: ["PaymentsAPI", "Platform", "Postgres", "Events", "HTTPClient", "Facade"],
            path: "Modules/Payments/Core"),
        .target(
            name: "PaymentsContract", dependencies: ["PaymentsAPI", "Platform", "Contract"],
            path: "Modules/Payments/Contract"),
        .target(
            name: "PaymentsModule",
            dependencies: ["PaymentsAPI", "Payments", "PaymentsContract", "Bootstrap", "Contract", "Facade", "Platform"],
            path: "Modules/Payments/Module"),

        // Orders: the order lifecycle and the checkout saga over the other facades.
        .target(
            name: "OrdersAPI", dependencies: ["Platform", "Facade"], path: "Modules/Orders/API"),
        .target(
            name: "Orders",
            dependencies: [
                "OrdersAPI", "RestaurantAPI", "InventoryAPI", "PaymentsAPI", "Platform", "Postgres", "Events", "Facade",
            ],
            path: "Modules/Orders/Core"),
        .target(
            name: "OrdersContract", dependencies: ["OrdersAPI", "RestaurantAPI", "InventoryAPI", "Platform", "Contract"],
            path: "Modules/Orders/Contract"),
        .target(
            name: "OrdersModule",
            dependencies: [
                "OrdersAPI", "Orders", "OrdersContract", "RestaurantAPI", "InventoryAPI", "PaymentsAPI", "Bootstrap",
                "Contract", "Facade", "Platform",
            ],
            path: "Modules/Orders/Module"),

        // Chatbot: an orchestrator over the other facades; owns no data.
        .target(name: "ChatbotAPI", dependencies: ["Platform", "Facade"], path: "Modules/Chatbot/API"),
        .target(
            name: "Chatbot",
            dependencies: ["ChatbotAPI", "RestaurantAPI", "InventoryAPI", "OrdersAPI", "Platform", "Facade"],
            path: "Modules/Chatbot/Core"),
        .target(
            name: "ChatbotContract",
            dependencies: ["ChatbotAPI", "RestaurantAPI", "InventoryAPI", "OrdersAPI", "Platform", "Contract"],
            path: "Modules/Chatbot/Contract"),
        .target(
            name: "ChatbotModule",
            dependencies: [
                "ChatbotAPI", "Chatbot", "ChatbotContract", "RestaurantAPI", "InventoryAPI", "OrdersAPI", "Bootstrap",
                "Contract", "Facade",
            ],
            path: "Modules/Chatbot/Module"),

        // The registry: every module's descriptor, one line each.
        .target(
            name: "ModuleRegistry",
            dependencies: [
                "Bootstrap", "AuthModule", "RestaurantModule", "InventoryModule", "PaymentsModule", "OrdersModule",
                "ChatbotModule",
            ],
            path: "Gateway/Registry"),

        // Gateway: the HTTP front door and composition root, as a library so
        // tests can start it in-process, plus the thin `banyan` executable.
        .target(
            name: "Gateway",
            dependencies: [
                "Platform", "HTTPServer", "HTTPClient", "Postgres", "Security", "Events", "Facade", "Flags", "Routing",
                "Contract", "Bootstrap", "ModuleRegistry", "AuthAPI", "Auth", "AuthModule", "RestaurantAPI", "RestaurantModule",
                "InventoryAPI", "InventoryModule",
                "PaymentsAPI", "Payments", "PaymentsModule", "OrdersAPI", "Orders", "OrdersModule", "ChatbotAPI",
                "ChatbotModule", "FlagsAudit", "FlagsControl", "Signals", "Metrics",
            ],
            path: "Gateway/App"),
        .executableTarget(
            name: "banyan",
            dependencies: [
                "Gateway", "ModuleRegistry", "Platform", "HTTPServer", "HTTPClient", "Postgres", "Security", "Facade",
                "Contract", "Flags", "FlagsControl", "Routing", "Bootstrap", "Signals",
            ],
            path: "Gateway/Main"),

        // Extracted services: each serves one module's operation table over HTTP.
        .executableTarget(
            name: "payments-service", dependencies: ["Bootstrap", "PaymentsModule"], path: "Services/PaymentsService"),
        .executableTarget(
            name: "inventory-service", dependencies: ["Bootstrap", "InventoryModule"], path: "Services/InventoryService"),
        .executableTarget(name: "auth-service", dependencies: ["Bootstrap", "AuthModule"], path: "Services/AuthService"),
        .executableTarget(
            name: "restaurant-service", dependencies: ["Bootstrap", "RestaurantModule"], path: "Services/RestaurantService"),
        .executableTarget(name: "orders-service", dependencies: ["Bootstrap", "OrdersModule"], path: "Services/OrdersService"),
        .executableTarget(
            name: "chatbot-service", dependencies: ["Bootstrap", "ChatbotModule"], path: "Services/ChatbotService"),

        // A card-processor simulator for the fault harness (scripts/chaos): a test
        // tool that speaks the PAYMENT_GATEWAY_URL contract, never a runtime dependency.
        .executableTarget(
            name: "processor-sim", dependencies: ["Platform", "HTTPServer"], path: "Tests/ProcessorSim"),

        // Tests.
        .target(
            name: "BanyanTestSupport", dependencies: ["Platform", "Postgres", "Bootstrap", "HTTPServer", "Security"],
            path: "Tests/Support"),
        // The route harness behind the gateway's own pipeline, for each module's route tests.
        .target(
            name: "GatewayTestSupport", dependencies: ["Gateway", "BanyanTestSupport", "Platform", "Security"],
            path: "Tests/GatewaySupport"),
        .testTarget(
            name: "HTTPServerTests", dependencies: ["HTTPServer", "Platform", "BanyanTestSupport"],
            path: "Tests/HTTPServerTests"),
        .testTarget(
            name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTPServer", "Platform"],
            path: "Tests/HTTPClientTests"),
        .testTarget(
            name: "PostgresTests", dependencies: ["Postgres", "Platform", "BanyanTestSupport"],
            path: "Tests/PostgresTests"),
        .testTarget(name: "SecurityTests", dependencies: ["Security", "Platform"], path: "Tests/SecurityTests"),
        .testTarget(
            name: "SignalsTests", dependencies: ["Signals", "Facade", "Platform", "Postgres", "BanyanTestSupport"],
            path: "Tests/SignalsTests"),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Platform", "HTTPServer", "HTTPClient", "Postgres", "Security", "AuthAPI", "Auth", "AuthModule", "Flags",
                "Facade", "Payments", "PaymentsModule", "Bootstrap", "BanyanTestSupport", "OrdersAPI", "PaymentsAPI",
                "InventoryAPI", "RestaurantAPI", "Routing", "ModuleRegistry", "Contract", "OrdersContract", "FlagsAudit",
                "Signals", "Metrics",
            ],
            path: "Tests/GatewayTests"),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "HTTPServer", "Platform"], path: "Tests/MetricsTests"),
        .testTarget(name: "ArchitectureTests", path: "Tests/ArchitectureTests"),
        .testTarget(
            name: "FacadeTests",
            dependencies: [
                "Facade", "Platform", "Security", "HTTPClient", "HTTPServer", "Metrics", "Signals", "BanyanTestSupport",
            ],
            path: "Tests/FacadeTests"),
        .testTarget(name: "FlagsTests", dependencies: ["Flags", "Platform"], path: "Tests/FlagsTests"),
        .testTarget(
            name: "FlagsControlTests", dependencies: ["FlagsControl", "Flags", "Platform"], path: "Tests/FlagsControlTests"),
        .testTarget(
            name: "FlagsAuditTests", dependencies: ["FlagsAudit", "Flags", "Platform", "Postgres", "BanyanTestSupport"],
            path: "Tests/FlagsAuditTests"),
        .testTarget(
            name: "ContractTests",
            dependencies: [
                "Facade", "Contract", "Platform", "Security", "Postgres", "Bootstrap", "ModuleRegistry", "PaymentsAPI",
                "PaymentsModule", "PaymentsContract", "InventoryAPI", "InventoryModule", "InventoryContract",
                "AuthAPI", "AuthModule", "AuthContract", "BanyanTestSupport", "Flags", "Routing", "HTTPServer", "OrdersAPI",
                "OrdersContract", "RestaurantAPI", "ChatbotAPI", "ChatbotContract",
            ],
            path: "Tests/ContractTests"),
        .testTarget(
            name: "ProcessorSimTests", dependencies: ["HTTPClient", "BanyanTestSupport"], path: "Tests/ProcessorSimTests"),
        .testTarget(
            name: "EventsTests", dependencies: ["Events", "Platform", "Postgres", "BanyanTestSupport"],
            path: "Tests/EventsTests"),
        // One test target per module, over real PostgreSQL; the route tests drive the
        // gateway's routes for that module in process, so they see Gateway too.
        .testTarget(
            name: "PaymentsTests",
            dependencies: [
                "Payments", "PaymentsAPI", "Gateway", "Platform", "Postgres", "HTTPServer", "Security",
                "BanyanTestSupport", "GatewayTestSupport",
            ],
            path: "Tests/PaymentsTests"),
        .testTarget(
            name: "InventoryTests",
            dependencies: [
                "Inventory", "InventoryAPI", "Gateway", "Platform", "Postgres", "Security", "BanyanTestSupport", "GatewayTestSupport",
            ],
            path: "Tests/InventoryTests"),
        .testTarget(
            name: "RestaurantTests",
            dependencies: [
                "Restaurant", "RestaurantAPI", "Gateway", "Platform", "Postgres", "Security", "BanyanTestSupport", "GatewayTestSupport",
            ],
            path: "Tests/RestaurantTests"),
        // The assistant answers over the real services of the modules it orchestrates.
        .testTarget(
            name: "ChatbotTests",
            dependencies: [
                "Chatbot", "ChatbotAPI", "Restaurant", "RestaurantAPI", "Inventory", "InventoryAPI", "Orders",
                "OrdersAPI", "Payments", "Gateway", "Flags", "Platform", "Postgres", "HTTPServer", "HTTPClient",
                "Security", "BanyanTestSupport", "GatewayTestSupport", "AuthModule", "Bootstrap",
            ],
            path: "Tests/ChatbotTests"),
        // The gateway's routing kit: route groups, query parameters, the schema catalog;
        // and module call routing's circuit breakers and fallback.
        .testTarget(
            name: "RoutingTests",
            dependencies: [
                "Gateway", "OrdersAPI", "Platform", "HTTPServer", "Security", "Routing", "Flags", "FlagsControl", "Facade",
                "Metrics",
            ],
            path: "Tests/RoutingTests"),
        // Platform's error kit (`ModuleError`) as every module's API uses it: the codes clients switch on.
        .testTarget(
            name: "PlatformTests",
            dependencies: ["Platform", "AuthAPI", "RestaurantAPI", "InventoryAPI", "PaymentsAPI", "OrdersAPI", "Orders"],
            path: "Tests/PlatformTests"),
    ]
)

// Strict settings for every Swift target in one place.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
