use chrono::{DateTime, Datelike, SubsecRound, Utc};

/// An instant as Roster keeps it: UTC, to the microsecond (what both databases store), within
/// years 1–9999 (what both store, and the range in which SQLite's fixed-width text orders like
/// time). `None` for an instant outside it, such as one a client sent.
pub fn storable_instant(at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (1..=9999).contains(&at.year()).then(|| at.trunc_subsecs(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_microseconds_and_refuses_years_a_database_cannot_hold() {
        let at = DateTime::parse_from_rfc3339("2026-12-04T10:00:00.123456789Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            storable_instant(at).unwrap().to_rfc3339(),
            "2026-12-04T10:00:00.123456+00:00"
        );
        let far = chrono::NaiveDate::from_ymd_opt(10_000, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        assert_eq!(storable_instant(far), None);
    }
}
