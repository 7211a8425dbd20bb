//! Throttling of requests that send mail (a password reset, a verification or an invitation
//! sent again): sliding windows counted in the database, so every instance counts alike. A
//! refused request records nothing; one let through counts in each of its buckets. Buckets are
//! kept as SHA-256 digests: the table holds no address.

use std::time::Duration;

use roster_store::{rate_hits, Ts};
use sha2::{Digest, Sha256};

use crate::{Context, CoreError};

/// At most `limit` requests in any `window`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quota {
    pub limit: u32,
    pub window: Duration,
}

impl Quota {
    pub(crate) const fn per(limit: u32, seconds: u64) -> Quota {
        Quota {
            limit,
            window: Duration::from_secs(seconds),
        }
    }
}

/// The longest window any quota uses: older hits are forgotten.
pub(crate) const LONGEST_WINDOW: Duration = Duration::from_secs(86_400);

/// Lets the request through when every `(what, quota)` has room, counting it once in each
/// bucket; else 429 with `detail` and how long until it would have room.
pub(crate) fn take(
    cx: &mut Context<'_>,
    checks: &[(&str, Quota)],
    detail: &str,
) -> Result<(), CoreError> {
    let now = cx.now();
    let mut wait_ms: i64 = 0;
    for (what, quota) in checks {
        let window = chrono::Duration::from_std(quota.window).unwrap_or_default();
        let since = Ts(now.0 - window);
        let recent = rate_hits::recent(cx.conn(), &bucket(what), since, i64::from(quota.limit))?;
        // Newest first: the window has room again once its `limit`-th newest hit leaves it.
        if let Some(oldest) = recent.get(quota.limit as usize - 1) {
            wait_ms = wait_ms.max((oldest.0 + window - now.0).num_milliseconds());
        }
    }
    if wait_ms > 0 {
        return Err(CoreError::TooManyAttempts {
            detail: detail.to_owned(),
            retry_after: u64::try_from(wait_ms).unwrap_or(0).div_ceil(1000).max(1),
        });
    }
    let mut counted: Vec<&str> = Vec::new();
    for (what, _) in checks {
        if !counted.contains(what) {
            rate_hits::record(cx.conn(), &bucket(what), now)?;
            counted.push(what);
        }
    }
    Ok(())
}

fn bucket(what: &str) -> String {
    Sha256::digest(what.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
