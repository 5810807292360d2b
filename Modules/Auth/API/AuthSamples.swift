import Facade
import Foundation
import Platform

// The contract sample of each type the Auth operations carry, written once:
// every optional field set, so every key a provider may send is in the
// contract's shapes and its fingerprint (see `ContractSample`).

extension Tenant: ContractSample {
    public static let contractSample = Tenant(
        id: "demo-bistro", name: "Demo Bistro", createdAt: Date(timeIntervalSince1970: 0))
}

extension CreateTenantRequest: ContractSample {
    public static let contractSample = CreateTenantRequest(
        tenantID: Tenant.contractSample.id, name: Tenant.contractSample.name,
        admin: Admin(username: "admin", email: "admin@demo-bistro.example", password: "correct-horse-battery"))
}

extension User: ContractSample {
    public static let contractSample = User(
        id: UserReference.contractSample.id, tenantID: Tenant.contractSample.id, username: "sam",
        email: "sam@demo-bistro.example", role: .manager, active: true, createdAt: Date(timeIntervalSince1970: 0))
}

extension LoginRequest: ContractSample {
    public static let contractSample = LoginRequest(username: "sam", password: "correct-horse-battery")
}

extension LoginResult: ContractSample {
    public static let contractSample = LoginResult(accessToken: "header.claims.signature", expiresIn: 3600, user: .contractSample)
}

extension RegisterUserRequest: ContractSample {
    public static let contractSample = RegisterUserRequest(
        username: "sam", email: "sam@demo-bistro.example", password: "correct-horse-battery", role: .manager)
}

extension UserReference: ContractSample {
    public static let contractSample = UserReference(id: "00000000-0000-0000-0000-000000000001")
}

extension UpdateUserCommand: ContractSample {
    public static let contractSample = UpdateUserCommand(
        id: UserReference.contractSample.id, update: UpdateUserRequest(role: .cashier, active: false))
}
