import Facade
import Foundation

// The contract sample of each type the Inventory operations carry, written
// once: every optional field set and one element in every array, so every
// key a provider may send is in the contract's shapes and its fingerprint
// (see `ContractSample`).

extension StockLevel: ContractSample {
    public static let contractSample = StockLevel(
        menuItemID: MenuItemReference.contractSample.menuItemID, quantity: 10, reserved: 2, lowStockThreshold: 3,
        updatedAt: Date(timeIntervalSince1970: 0))
}

extension SetStock: ContractSample {
    public static let contractSample = SetStock(quantity: 10, lowStockThreshold: 3)
}

extension StockAdjustment: ContractSample {
    public static let contractSample = StockAdjustment(delta: 5, reason: "delivery")
}

extension StockLine: ContractSample {
    public static let contractSample = StockLine(menuItemID: MenuItemReference.contractSample.menuItemID, quantity: 2)
}

extension Reservation: ContractSample {
    public static let contractSample = Reservation(
        key: ReservationKey.contractSample.key, status: .held, lines: [StockLine.contractSample],
        createdAt: Date(timeIntervalSince1970: 0))
}

extension ReserveStock: ContractSample {
    public static let contractSample = ReserveStock(
        key: ReservationKey.contractSample.key, lines: [StockLine.contractSample])
}

extension MenuItemReference: ContractSample {
    public static let contractSample = MenuItemReference(menuItemID: "00000000-0000-0000-0000-000000000001")
}

extension SetStockCommand: ContractSample {
    public static let contractSample = SetStockCommand(
        menuItemID: MenuItemReference.contractSample.menuItemID, stock: SetStock.contractSample)
}

extension AdjustStockCommand: ContractSample {
    public static let contractSample = AdjustStockCommand(
        menuItemID: MenuItemReference.contractSample.menuItemID, adjustment: StockAdjustment.contractSample)
}

extension StockCheck: ContractSample {
    public static let contractSample = StockCheck(lines: [StockLine.contractSample])
}

extension ReservationKey: ContractSample {
    public static let contractSample = ReservationKey(key: "order:1")
}
