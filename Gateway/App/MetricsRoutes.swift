import HTTPServer
import Metrics

/// `GET /metrics`: the gateway's figures in the Prometheus text format, for
/// the operators' scraper (the ops token, like `/admin`). Names, labels and
/// meaning: docs/metrics.md.
enum MetricsRoutes {
    static func routes(metrics: GatewayMetrics) -> [Route] {
        let group = RouteGroup("", access: .operator, tag: "metrics")
        return [
            group.get("/metrics", summary: "Prometheus metrics of this gateway (text format 0.0.4)") { _ in
                PrometheusExposition(text: metrics.exposition())
            }
        ]
    }
}

/// 200 with a Prometheus text exposition.
struct PrometheusExposition: ResponseGenerator {
    let text: String

    static var responses: [ResponseDocumentation] {
        [ResponseDocumentation(status: 200, description: "OK", body: (PrometheusText.contentType, WireSchema(.string())))]
    }

    func response() -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: HTTPHeaders([("content-type", PrometheusText.contentType)]), body: Array(text.utf8))
    }
}
