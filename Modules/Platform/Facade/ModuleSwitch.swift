import Platform

/// One transport for the operations of several modules, each sent on by its
/// own module's transport: what a caller needs when one facade's work
/// arranges data in others (Orders' contract cases stock a menu through
/// Restaurant and Inventory before they sell from it).
///
///     let transport = ModuleSwitch(["orders": ordersService, "restaurant": routedRestaurant])
public struct ModuleSwitch: Transport {
    public let byModule: [String: any Transport]

    public init(_ byModule: [String: any Transport]) {
        self.byModule = byModule
    }

    public func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        guard let transport = byModule[operation.module] else {
            throw ModuleNotReachable(operation: operation.name, modules: byModule.keys.sorted())
        }
        return try transport.call(operation, context, request)
    }

    /// A call of a module this switch has no transport for: a wiring mistake of the caller.
    public struct ModuleNotReachable: Error, CustomStringConvertible {
        public let operation: String
        public let modules: [String]
        public var description: String {
            "\(operation) belongs to none of the modules this caller reaches (\(modules.joined(separator: ", ")))"
        }
    }
}
