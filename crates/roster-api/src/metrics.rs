//! Prometheus metrics: request counts and latencies per route, and the database pool.
//!
//! A handful of series kept in one mutex-guarded map; at tens of thousands of requests a
//! second the lock is uncontended enough not to show up next to the database work.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Series {
    /// (method, route, status) → requests
    requests: BTreeMap<(String, String, u16), u64>,
    /// (method, route) → latency
    latency: BTreeMap<(String, String), Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    series: Mutex<Series>,
}

impl Metrics {
    /// Records one finished request. `route` is the matched pattern (`/v1/organizations/{org}`),
    /// never the raw path, so ids don't explode the number of series.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let Ok(mut series) = self.series.lock() else {
            return;
        };
        *series
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let histogram = series
            .latency
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        let seconds = elapsed.as_secs_f64();
        histogram.count += 1;
        histogram.sum += seconds;
        if let Some(index) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.counts[index] += 1;
        }
    }

    /// The Prometheus text exposition format.
    pub fn render(&self, pool: (u32, u32)) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP roster_build_info Roster's version.\n# TYPE roster_build_info gauge"
        );
        let _ = writeln!(
            out,
            "roster_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(out, "# HELP roster_db_pool_connections Open database connections.\n# TYPE roster_db_pool_connections gauge");
        let _ = writeln!(out, "roster_db_pool_connections {}", pool.0);
        let _ = writeln!(out, "# HELP roster_db_pool_idle_connections Idle database connections.\n# TYPE roster_db_pool_idle_connections gauge");
        let _ = writeln!(out, "roster_db_pool_idle_connections {}", pool.1);
        let Ok(series) = self.series.lock() else {
            return out;
        };
        let _ = writeln!(out, "# HELP roster_http_requests_total HTTP requests by route and status.\n# TYPE roster_http_requests_total counter");
        for ((method, route, status), count) in &series.requests {
            let _ = writeln!(out, "roster_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}", escape(route));
        }
        let _ = writeln!(out, "# HELP roster_http_request_duration_seconds HTTP request latency.\n# TYPE roster_http_request_duration_seconds histogram");
        for ((method, route), histogram) in &series.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.counts) {
                cumulative += count;
                let _ = writeln!(out, "roster_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(
                out,
                "roster_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "roster_http_request_duration_seconds_sum{{{labels}}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "roster_http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.observe(
            "GET",
            "/v1/organizations/{org}",
            200,
            Duration::from_millis(3),
        );
        metrics.observe(
            "GET",
            "/v1/organizations/{org}",
            404,
            Duration::from_millis(30),
        );
        let text = metrics.render((4, 3));
        assert!(text.contains("roster_http_requests_total{method=\"GET\",route=\"/v1/organizations/{org}\",status=\"200\"} 1"));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("roster_db_pool_connections 4"));
    }
}
