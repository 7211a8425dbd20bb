//! The process metrics every Prometheus client exports under the same names
//! (`process_resident_memory_bytes`, `process_cpu_seconds_total`, `process_open_fds`,
//! `process_max_fds`, `process_start_time_seconds`), read from `/proc/self` at each scrape.
//! Elsewhere than on Linux there is no `/proc`, and they are left out.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;

/// `/proc` counts CPU time and start time in clock ticks of `USER_HZ`, which the kernel fixes
/// at 100 for user space on every architecture Roster runs on.
const TICKS_PER_SECOND: f64 = 100.0;

#[derive(Debug)]
pub struct ProcessCollector;

/// What `/proc/self` says; each part is absent when it cannot be read.
#[derive(Debug, Default, PartialEq)]
struct Sample {
    resident_bytes: Option<u64>,
    virtual_bytes: Option<u64>,
    cpu_seconds: Option<f64>,
    start_time_seconds: Option<f64>,
    open_fds: Option<u64>,
    max_fds: Option<u64>,
}

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let sample = Sample::read();
        let gauges = [
            (
                "process_resident_memory",
                "Resident memory size",
                Some(Unit::Bytes),
                sample.resident_bytes,
            ),
            (
                "process_virtual_memory",
                "Virtual memory size",
                Some(Unit::Bytes),
                sample.virtual_bytes,
            ),
            (
                "process_open_fds",
                "Open file descriptors",
                None,
                sample.open_fds,
            ),
            (
                "process_max_fds",
                "The most file descriptors the process may open (its soft limit)",
                None,
                sample.max_fds,
            ),
        ];
        for (name, help, unit, value) in gauges {
            if let Some(value) = value.and_then(|v| i64::try_from(v).ok()) {
                let gauge = ConstGauge::new(value);
                let metric =
                    encoder.encode_descriptor(name, help, unit.as_ref(), gauge.metric_type())?;
                gauge.encode(metric)?;
            }
        }
        if let Some(seconds) = sample.start_time_seconds {
            let gauge = ConstGauge::new(seconds);
            let metric = encoder.encode_descriptor(
                "process_start_time",
                "Start time of the process since the Unix epoch",
                Some(&Unit::Seconds),
                gauge.metric_type(),
            )?;
            gauge.encode(metric)?;
        }
        if let Some(seconds) = sample.cpu_seconds {
            let counter = ConstCounter::new(seconds);
            let metric = encoder.encode_descriptor(
                "process_cpu",
                "User and system CPU time spent",
                Some(&Unit::Seconds),
                counter.metric_type(),
            )?;
            counter.encode(metric)?;
        }
        Ok(())
    }
}

impl Sample {
    fn read() -> Sample {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let mut sample = read("/proc/self/stat")
            .map(|stat| Sample::from_stat(&stat, read("/proc/stat").as_deref()))
            .unwrap_or_default();
        sample.resident_bytes = read("/proc/self/status").and_then(|s| resident_bytes(&s));
        sample.max_fds = read("/proc/self/limits").and_then(|l| max_open_files(&l));
        sample.open_fds = std::fs::read_dir("/proc/self/fd")
            .ok()
            .map(|entries| entries.count() as u64);
        sample
    }

    /// From `/proc/self/stat` (and `/proc/stat`'s boot time, for the start time).
    fn from_stat(stat: &str, system: Option<&str>) -> Sample {
        // The command name, field 2, is in parentheses and may hold spaces and parentheses:
        // count the fields after its last `)`, where field 3 is the first.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            return Sample::default();
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |n: usize| fields.get(n - 3).and_then(|v| v.parse::<u64>().ok());
        let cpu_ticks = field(14).zip(field(15)).map(|(user, system)| user + system);
        let boot_time = system.and_then(|s| {
            s.lines()
                .find_map(|line| line.strip_prefix("btime "))
                .and_then(|v| v.trim().parse::<u64>().ok())
        });
        Sample {
            cpu_seconds: cpu_ticks.map(|ticks| ticks as f64 / TICKS_PER_SECOND),
            start_time_seconds: boot_time
                .zip(field(22))
                .map(|(boot, ticks)| boot as f64 + ticks as f64 / TICKS_PER_SECOND),
            virtual_bytes: field(23),
            ..Sample::default()
        }
    }
}

/// `VmRSS:    12345 kB` in `/proc/self/status`.
fn resident_bytes(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
    let kib = line.split_whitespace().next()?.parse::<u64>().ok()?;
    Some(kib * 1024)
}

/// The soft limit in `Max open files  1024  524288  files` of `/proc/self/limits`.
fn max_open_files(limits: &str) -> Option<u64> {
    let line = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))?;
    line.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cpu_start_and_memory_from_proc_texts() {
        let stat = "4242 (ros ter) (x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 9 0 \
                    123400 987654321 3000 18446744073709551615";
        let sample = Sample::from_stat(stat, Some("cpu  1 2 3\nbtime 1700000000\nprocesses 9\n"));
        assert_eq!(sample.cpu_seconds, Some(3.0));
        assert_eq!(sample.start_time_seconds, Some(1_700_001_234.0));
        assert_eq!(sample.virtual_bytes, Some(987_654_321));
        assert_eq!(
            resident_bytes("Name:\troster\nVmRSS:\t   2048 kB\nVmData: 1 kB\n"),
            Some(2_097_152)
        );
        assert_eq!(
            max_open_files("Max cpu time  unlimited  unlimited  seconds\nMax open files            1024                 524288               files\n"),
            Some(1024)
        );
    }

    #[test]
    fn this_process_is_measured() {
        if !std::path::Path::new("/proc/self/stat").exists() {
            return;
        }
        let sample = Sample::read();
        assert!(sample.resident_bytes.is_some_and(|b| b > 0));
        assert!(sample.open_fds.is_some_and(|n| n > 0));
        assert!(sample.max_fds.is_some_and(|n| n > 0));
        assert!(sample.cpu_seconds.is_some());
        assert!(sample
            .start_time_seconds
            .is_some_and(|t| t > 1_600_000_000.0));
    }
}
