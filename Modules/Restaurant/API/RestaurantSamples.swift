import Facade
import Foundation

// The contract sample of each type the Restaurant operations carry, written
// once: every optional field set and one element in every array, so every
// key a provider may send is in the contract's shapes and its fingerprint
// (see `ContractSample`).

extension RestaurantProfile: ContractSample {
    public static let contractSample = RestaurantProfile(
        name: "Demo Cafe", address: "1 Main Street", phone: "+1 555 0100", currency: "USD")
}

extension RestaurantProfileChanges: ContractSample {
    public static let contractSample = RestaurantProfileChanges(
        name: "Demo Cafe", address: "1 Main Street", phone: "+1 555 0100", currency: "USD")
}

extension MenuItem: ContractSample {
    public static let contractSample = MenuItem(
        id: MenuItemID.contractSample.id, name: "Espresso", description: "A double shot", priceCents: 280,
        currency: "USD", category: "Drinks", available: true, createdAt: Date(timeIntervalSince1970: 0),
        updatedAt: Date(timeIntervalSince1970: 0))
}

extension NewMenuItem: ContractSample {
    public static let contractSample = NewMenuItem(
        name: "Espresso", description: "A double shot", priceCents: 280, currency: "USD", category: "Drinks",
        available: true)
}

extension MenuItemChanges: ContractSample {
    public static let contractSample = MenuItemChanges(
        name: "Espresso", description: "A double shot", priceCents: 300, currency: "USD", category: "Drinks",
        available: false)
}

extension KitchenTicket.Line: ContractSample {
    public static let contractSample = KitchenTicket.Line(name: "Espresso", quantity: 2)
}

extension KitchenTicket: ContractSample {
    public static let contractSample = KitchenTicket(
        id: KitchenTicketID.contractSample.id, orderID: NewKitchenTicket.contractSample.orderID,
        orderNumber: NewKitchenTicket.contractSample.orderNumber, items: [Line.contractSample], status: .done,
        createdAt: Date(timeIntervalSince1970: 0), doneAt: Date(timeIntervalSince1970: 0))
}

extension NewKitchenTicket: ContractSample {
    public static let contractSample = NewKitchenTicket(
        orderID: "00000000-0000-0000-0000-000000000002", orderNumber: "A-1", items: [KitchenTicket.Line.contractSample])
}

extension MenuQuery: ContractSample {
    public static let contractSample = MenuQuery(includeUnavailable: true)
}

extension MenuItemID: ContractSample {
    public static let contractSample = MenuItemID(id: "00000000-0000-0000-0000-000000000001")
}

extension UpdateMenuItemCommand: ContractSample {
    public static let contractSample = UpdateMenuItemCommand(
        id: MenuItemID.contractSample.id, changes: MenuItemChanges.contractSample)
}

extension PriceQuery: ContractSample {
    public static let contractSample = PriceQuery(itemIDs: [MenuItemID.contractSample.id])
}

extension KitchenTicketQuery: ContractSample {
    public static let contractSample = KitchenTicketQuery(includeDone: true)
}

extension KitchenTicketID: ContractSample {
    public static let contractSample = KitchenTicketID(id: "00000000-0000-0000-0000-000000000003")
}
