/// Banyan's module boundaries as rules over the package's target graph.
///
/// A target's role comes from where it lives:
/// `Modules/Platform/...` is the shared kernel, `Modules/<M>/API` a module's
/// facade, `Modules/<M>/Core` its implementation, `Modules/<M>/Contract` its
/// contract cases, `Modules/<M>/Module` its descriptor and facade for
/// composition, `Gateway/` and `Services/` the composition roots.
struct DependencyRules {
    enum Role: Equatable {
        case platform
        case api(module: String)
        case core(module: String)
        case contract(module: String)
        /// `Modules/<M>/Module`: a composition helper that sees its own
        /// module's Core and contract (and others' APIs), used only by
        /// composition roots.
        case composition(module: String)
        case compositionRoot
        /// `Services/<Module>Service`: an extracted service, which may link
        /// only the kernel, its own module and other modules' APIs (it
        /// reaches them by interface, over HTTP: orders-service calls Payments).
        case service(module: String)
        case test
    }

    struct Target {
        var name: String
        var path: String
        var dependencies: [String]
    }

    static func role(ofPath path: String) -> Role {
        let parts = path.split(separator: "/").map(String.init)
        if parts.first == "Modules", parts.count >= 2 {
            if parts[1] == "Platform" { return .platform }
            switch parts.count >= 3 ? parts[2] : "" {
            case "API": return .api(module: parts[1])
            case "Contract": return .contract(module: parts[1])
            case "Module": return .composition(module: parts[1])
            default: return .core(module: parts[1])
            }
        }
        if parts.first == "Services", parts.count >= 2, parts[1].hasSuffix("Service") {
            return .service(module: String(parts[1].dropLast("Service".count)))
        }
        if parts.first == "Gateway" || parts.first == "Services" { return .compositionRoot }
        return .test
    }

    /// Every forbidden edge and every cycle, as readable sentences.
    static func violations(in targets: [Target]) -> [String] {
        let byName = Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var found: [String] = []
        for target in targets {
            let from = role(ofPath: target.path)
            for dependency in target.dependencies {
                guard let other = byName[dependency] else { continue }  // system libraries, products
                let to = role(ofPath: other.path)
                switch (from, to) {
                case (.platform, .api), (.platform, .core), (.platform, .contract), (.platform, .composition),
                    (.platform, .compositionRoot):
                    found.append("Platform target \(target.name) depends on \(dependency): the kernel knows no module")
                case (.api(let module), .core):
                    found.append("\(target.name) (API of \(module)) depends on Core target \(dependency)")
                case (.api(let module), .contract):
                    found.append("\(target.name) (API of \(module)) depends on contract target \(dependency)")
                case (.core(let module), .core(let otherModule)) where module != otherModule:
                    found.append("\(target.name) (Core of \(module)) depends on \(dependency), the Core of \(otherModule): use its API")
                case (.contract(let module), .core(let otherModule)):
                    found.append("\(target.name) (contract of \(module)) depends on Core target \(dependency) of \(otherModule): contracts see only APIs")
                case (.composition(let module), .core(let other)) where other != module,
                    (.composition(let module), .contract(let other)) where other != module,
                    (.composition(let module), .composition(let other)) where other != module:
                    found.append("\(target.name) (composition of \(module)) depends on \(dependency) of \(other): it sees only its own module and others' APIs")
                case (.api, .composition), (.core, .composition), (.contract, .composition):
                    found.append("\(target.name) depends on composition target \(dependency): only composition roots compose modules")
                case (.core, .compositionRoot), (.api, .compositionRoot), (.contract, .compositionRoot),
                    (.composition, .compositionRoot), (.core, .service), (.api, .service), (.contract, .service),
                    (.composition, .service), (.platform, .service):
                    found.append("\(target.name) depends on composition root \(dependency)")
                case (.service(let module), .core(let other)) where other != module,
                    (.service(let module), .contract(let other)) where other != module,
                    (.service(let module), .composition(let other)) where other != module:
                    found.append("\(target.name) (the \(module) service) links \(dependency) of \(other): a service links only Platform, its own module and other modules' APIs")
                case (.service(let module), .compositionRoot), (.service(let module), .service):
                    found.append("\(target.name) (the \(module) service) depends on \(dependency)")
                default:
                    break
                }
            }
        }
        found += cycles(in: targets).map { "dependency cycle: " + $0.joined(separator: " → ") }
        return found
    }

    /// Cycles found by depth-first search over the target graph.
    static func cycles(in targets: [Target]) -> [[String]] {
        let edges = Dictionary(targets.map { ($0.name, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
        var state: [String: Int] = [:]  // 1 = on the stack, 2 = done
        var stack: [String] = []
        var result: [[String]] = []
        func visit(_ name: String) {
            state[name] = 1
            stack.append(name)
            for next in edges[name] ?? [] where edges[next] != nil {
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    result.append(Array(stack[start...]) + [next])
                } else if state[next] == nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[name] = 2
        }
        for target in targets.map(\.name).sorted() where state[target] == nil { visit(target) }
        return result
    }
}
