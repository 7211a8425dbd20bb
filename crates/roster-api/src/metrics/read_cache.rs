//! The read cache's figures, read from the core at each scrape: hits, misses, evictions,
//! invalidations and bypasses (counters), entries, bytes, capacity and whether it is trusted.

use std::sync::{Arc, OnceLock};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;
use roster_core::read_cache::CacheStats;

type Source = Box<dyn Fn() -> CacheStats + Send + Sync>;

/// Empty until the server says where the figures come from.
#[derive(Clone, Default)]
pub struct CacheCollector(Arc<OnceLock<Source>>);

impl std::fmt::Debug for CacheCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheCollector")
    }
}

impl CacheCollector {
    pub fn read_from(&self, source: Source) {
        let _ = self.0.set(source);
    }
}

impl Collector for CacheCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Some(source) = self.0.get() else {
            return Ok(());
        };
        let stats = source();
        let counters = [
            ("roster_read_cache_hits", "Reads answered from the read cache", stats.hits),
            ("roster_read_cache_misses", "Reads the read cache could not answer (not there, stale or expired)", stats.misses),
            ("roster_read_cache_evictions", "Entries pushed out of the read cache to make room", stats.evictions),
            ("roster_read_cache_invalidations", "Changes heard of that may make entries stale (this instance's commits, other instances' notifications)", stats.invalidations),
            ("roster_read_cache_bypasses", "Reads sent to the database because the cache could not be trusted (its change listener was not connected)", stats.bypasses),
        ];
        for (name, help, value) in counters {
            let counter = ConstCounter::new(value);
            let metric = encoder.encode_descriptor(name, help, None, counter.metric_type())?;
            counter.encode(metric)?;
        }
        let gauges = [
            ("roster_read_cache_entries", "Entries in the read cache", None, stats.entries),
            ("roster_read_cache_size", "Estimated memory held by the read cache's entries", Some(Unit::Bytes), stats.bytes),
            ("roster_read_cache_capacity", "The most memory the read cache's entries may hold (ROSTER_READ_CACHE_MIB)", Some(Unit::Bytes), stats.capacity_bytes),
            ("roster_read_cache_trusted", "1 while the read cache is in use (it hears every change), 0 while reads go to the database", None, u64::from(stats.trusted)),
        ];
        for (name, help, unit, value) in gauges {
            let gauge = ConstGauge::new(i64::try_from(value).unwrap_or(i64::MAX));
            let metric =
                encoder.encode_descriptor(name, help, unit.as_ref(), gauge.metric_type())?;
            gauge.encode(metric)?;
        }
        Ok(())
    }
}
