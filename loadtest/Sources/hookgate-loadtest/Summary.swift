/// Totals and percentiles over every connection.
struct Summary {
    let requests: Int
    let accepted: Int
    let errors: Int
    let statuses: [Int: Int]
    let seconds: Double
    let percentiles: [(String, Double)]

    init(results: [ConnectionResult], elapsed: Duration) {
        var latencies = results.flatMap(\.latenciesMicroseconds)
        latencies.sort()
        requests = latencies.count
        accepted = results.reduce(0) { $0 + $1.accepted }
        errors = results.reduce(0) { $0 + $1.errors }
        statuses = results.reduce(into: [:]) { total, result in total.merge(result.statuses, uniquingKeysWith: +) }
        seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        percentiles = [("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)].map { name, quantile in
            guard !latencies.isEmpty else { return (name, 0) }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * quantile).rounded(.up)) - 1)
            return (name, Double(latencies[max(0, index)]) / 1_000)
        }
    }

    var throughput: Double { seconds > 0 ? Double(requests) / seconds : 0 }

    var text: String {
        let latency = percentiles.map { "\($0.0) \(format($0.1)) ms" }.joined(separator: "  ")
        let codes = statuses.keys.sorted().map { "\($0): \(statuses[$0]!)" }.joined(separator: ", ")
        return """
            requests   \(requests) in \(format(seconds)) s = \(format(throughput)) req/s
            accepted   \(accepted)
            latency    \(latency)
            statuses   \(codes.isEmpty ? "none" : codes)
            errors     \(errors) (connection failures)
            """
    }

    var json: String {
        let latency = percentiles.map { "\"\($0.0)_ms\":\(format($0.1))" }.joined(separator: ",")
        let codes = statuses.keys.sorted().map { "\"\($0)\":\(statuses[$0]!)" }.joined(separator: ",")
        return
            "{\"requests\":\(requests),\"accepted\":\(accepted),\"errors\":\(errors),\"seconds\":\(format(seconds)),\"throughput\":\(format(throughput)),\(latency),\"statuses\":{\(codes)}}"
    }

    private func format(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}

/// What the delivery sink saw.
struct SinkReport {
    let sink: DeliverySink
    let expected: Int

    var text: String {
        let latencies = sink.latencies.sorted()
        let percentiles = [("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)].map { name, quantile -> String in
            guard !latencies.isEmpty else { return "\(name) -" }
            let index = min(latencies.count - 1, max(0, Int((Double(latencies.count) * quantile).rounded(.up)) - 1))
            return "\(name) \(Double(latencies[index] / 10) / 100) ms"
        }
        return """
            delivered  \(sink.delivered) of \(expected) at \(Int(sink.throughput)) deliveries/s (first to last arrival)
            end-to-end \(percentiles.joined(separator: "  ")) (provider request sent → target received)
            """
    }
}
