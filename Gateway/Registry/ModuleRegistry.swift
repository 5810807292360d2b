import AuthModule
import Bootstrap
import ChatbotModule
import InventoryModule
import OrdersModule
import PaymentsModule
import RestaurantModule

/// Every module of Banyan, one line each. Everything that lists modules
/// derives from here: the schemas the gateway migrates (in this order), the
/// outboxes its dispatcher delivers from, the modules flags.json may route,
/// `banyan contract`, `banyan db-password`, `banyan services` (and so
/// `scripts/up`), and the contract and registry tests.
public enum ModuleRegistry {
    public static let all: [ModuleDescriptor] = [
        AuthModule.descriptor,
        RestaurantModule.descriptor,
        InventoryModule.descriptor,
        PaymentsModule.descriptor,
        OrdersModule.descriptor,
        ChatbotModule.descriptor,
    ]

    /// The modules that declare operations, so can run in a service of their own.
    public static var extractable: [ModuleDescriptor] { all.filter { $0.service != nil } }

    /// The module called `name`.
    public static func named(_ name: String) -> ModuleDescriptor? {
        all.first { $0.name == name }
    }
}
