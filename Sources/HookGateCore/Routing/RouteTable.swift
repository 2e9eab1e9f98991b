/// Resolves which internal targets an event goes to, from `routes`.
public struct RouteTable: Sendable {
    private let routes: [HookGateConfiguration.Route]

    public init(routes: [HookGateConfiguration.Route]) {
        self.routes = routes
    }

    /// Destinations (`target:{id}`), each once, in the order routes name them.
    public func destinations(forType type: String, source: String) -> [String] {
        var result: [String] = []
        for route in routes where route.sources.map({ $0.contains(source) }) ?? true {
            guard route.types.contains(where: { $0.matches(type) }) else { continue }
            for target in route.targets {
                let destination = "target:" + target
                if !result.contains(destination) { result.append(destination) }
            }
        }
        return result
    }
}
