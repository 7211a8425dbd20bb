//! Remembers access tokens that already verified, until they expire.
//!
//! An Ed25519 verification costs about 50 µs of CPU; a busy client presents the same token on
//! every request. Only tokens that passed full verification enter the cache, a hit needs the
//! exact same token string, and expiry is checked on every hit. The cache lives with the key
//! ring, so reloading keys starts it afresh.

use quick_cache::sync::Cache;
use roster_auth::AccessClaims;

/// Enough for every active session of a large deployment; past it, the entries least used go
/// first (quick_cache's S3-FIFO: a burst of one-off tokens cannot push out the busy ones).
const CAPACITY: usize = 50_000;

pub struct TokenCache {
    entries: Cache<String, AccessClaims>,
}

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache {
            entries: Cache::new(CAPACITY),
        }
    }
}

impl TokenCache {
    pub fn get(&self, token: &str, now: i64) -> Option<AccessClaims> {
        self.entries.get(token).filter(|claims| claims.exp > now)
    }

    pub fn insert(&self, token: &str, claims: &AccessClaims) {
        self.entries.insert(token.to_owned(), claims.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> AccessClaims {
        AccessClaims {
            iss: "roster".into(),
            sub: uuid::Uuid::now_v7(),
            iat: 0,
            exp,
            jti: uuid::Uuid::now_v7(),
            sid: None,
            org_id: None,
            org_role: None,
            org_permissions: None,
        }
    }

    #[test]
    fn hits_only_the_same_unexpired_token() {
        let cache = TokenCache::default();
        cache.insert("a.b.c", &claims(100));
        assert!(cache.get("a.b.c", 99).is_some());
        assert!(cache.get("a.b.c", 100).is_none(), "expired at exp");
        assert!(cache.get("a.b.d", 50).is_none());
    }
}
