import Platform

extension RequestContext {
    /// The value of a query parameter the route declared; 400 `invalid_query` when it is not acceptable.
    func query<Value>(_ parameter: QueryParameter<Value>) throws(Problem) -> Value {
        try parameter.value(in: request)
    }
}
