//! Password hashing with argon2id.
//!
//! Every call costs about 20 ms of CPU and 19 MiB of memory (argon2id with the
//! crate's defaults: m=19456 KiB, t=2, p=1). Keep a [`PasswordWorker`] on each of a
//! few dedicated threads (as many as cores) and send it the work, never run it on
//! an async executor thread.

use std::sync::OnceLock;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use rand::RngCore;

use crate::error::AuthError;

/// Stored hashes asking for more memory than this (in KiB, 1 GiB) are refused:
/// argon2 allocates `m` KiB up front, so a corrupt or hostile row could
/// otherwise exhaust the process's memory. Far above what we produce.
const MAX_M_COST_KIB: u32 = 1024 * 1024;
/// Same idea for passes over memory: a huge `t` would pin a core for hours.
const MAX_T_COST: u32 = 64;
/// Same idea for lanes.
const MAX_P_COST: u32 = 16;

/// Hashes and checks passwords with argon2id, reusing one buffer of working memory.
///
/// Every argon2 call needs `m` KiB of memory (19 MiB with the defaults). Allocated afresh on
/// whichever thread runs it, that memory is kept by the allocator's per-thread arenas and never
/// given back, so a login flood spread over many threads leaves the process gigabytes larger.
/// A worker allocates the buffer once and hashes into it every time: run a few workers on a few
/// dedicated threads and the memory for passwords is bounded by their number.
pub struct PasswordWorker {
    blocks: Vec<Block>,
}

impl Default for PasswordWorker {
    fn default() -> Self {
        Self::new()
    }
}

impl PasswordWorker {
    /// A worker with memory for the default parameters (m=19456 KiB).
    pub fn new() -> PasswordWorker {
        PasswordWorker {
            blocks: vec![Block::default(); Params::DEFAULT.block_count()],
        }
    }

    /// Hashes `password` with argon2id, the crate's default parameters and a fresh random
    /// 16-byte salt, returning the PHC string to store
    /// (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).
    ///
    /// CPU-heavy (~20 ms): run it off the async executor.
    pub fn hash(&mut self, password: &str) -> Result<String, AuthError> {
        let mut salt_bytes = [0u8; 16];
        // try_fill_bytes rather than SaltString::generate, which panics if the OS
        // RNG fails.
        OsRng
            .try_fill_bytes(&mut salt_bytes)
            .map_err(|e| AuthError::Hash(format!("random salt: {e}")))?;
        let salt =
            SaltString::encode_b64(&salt_bytes).map_err(|e| AuthError::Hash(e.to_string()))?;
        let params = Params::DEFAULT;
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        self.compute(
            Algorithm::Argon2id,
            Version::V0x13,
            &params,
            password,
            &salt_bytes,
            &mut out,
        )?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|e| AuthError::Hash(e.to_string()))?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(|e| AuthError::Hash(e.to_string()))?),
        };
        Ok(hash.to_string())
    }

    /// Checks `password` against a stored PHC string.
    ///
    /// Returns `false` for a wrong password and also for a malformed or
    /// unreasonably expensive `phc`, so a corrupt row locks the account rather than
    /// erroring out. Parameters come from the stored string, so hashes made with
    /// older defaults keep verifying.
    ///
    /// CPU-heavy (~20 ms): run it off the async executor.
    pub fn verify(&mut self, password: &str, phc: &str) -> bool {
        self.check(password, phc).unwrap_or(false)
    }

    /// Spends the time of one real verification and throws the result away.
    ///
    /// Sign-in calls this when no account has the given email, so "unknown email"
    /// and "wrong password" take the same time and an attacker cannot enumerate
    /// accounts by timing. The dummy hash is computed on first use (that first
    /// call costs one extra hash) with the same defaults as [`hash`](Self::hash).
    pub fn verify_dummy(&mut self, password: &str) {
        match dummy_hash(self) {
            Some(phc) => {
                let _ = self.verify(password, phc);
            }
            // Hashing failed once (the OS RNG did): a hash costs what a
            // verification costs, so timing still matches.
            None => {
                let _ = self.hash(password);
            }
        }
    }

    fn check(&mut self, password: &str, phc: &str) -> Option<bool> {
        let hash = PasswordHash::new(phc).ok()?;
        let params = Params::try_from(&hash).ok()?;
        if params.m_cost() > MAX_M_COST_KIB
            || params.t_cost() > MAX_T_COST
            || params.p_cost() > MAX_P_COST
        {
            return None;
        }
        let algorithm = Algorithm::try_from(hash.algorithm).ok()?;
        let version = hash
            .version
            .map(Version::try_from)
            .transpose()
            .ok()?
            .unwrap_or_default();
        let mut salt = [0u8; 64];
        let salt = hash.salt?.decode_b64(&mut salt).ok()?;
        let expected = hash.hash?;
        let mut computed = vec![0u8; expected.len()];
        self.compute(algorithm, version, &params, password, salt, &mut computed)
            .ok()?;
        // Output's equality is constant-time.
        Some(Output::new(&computed).ok()? == expected)
    }

    /// Runs argon2 in this worker's memory, or, for the rare stored hash whose parameters
    /// need more, in memory of its own that is freed again at once.
    fn compute(
        &mut self,
        algorithm: Algorithm,
        version: Version,
        params: &Params,
        password: &str,
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), AuthError> {
        let argon2 = Argon2::new(algorithm, version, params.clone());
        let needed = params.block_count();
        let result = if needed <= self.blocks.len() {
            argon2.hash_password_into_with_memory(
                password.as_bytes(),
                salt,
                out,
                &mut self.blocks[..needed],
            )
        } else {
            argon2.hash_password_into(password.as_bytes(), salt, out)
        };
        result.map_err(|e| AuthError::Hash(e.to_string()))
    }
}

/// [`PasswordWorker::hash`] with a worker of its own (19 MiB, freed afterwards): for one-off
/// use such as a command-line tool. A server should keep workers on a few threads instead.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    PasswordWorker::new().hash(password)
}

/// [`PasswordWorker::verify`] with a worker of its own; see [`hash_password`].
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordWorker::new().verify(password, phc)
}

/// [`PasswordWorker::verify_dummy`] with a worker of its own; see [`hash_password`].
pub fn verify_dummy(password: &str) {
    PasswordWorker::new().verify_dummy(password)
}

fn dummy_hash(worker: &mut PasswordWorker) -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| worker.hash("roster-dummy-password").ok())
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correct_password_verifies() {
        let phc = hash_password("correct horse battery staple").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery staple", &phc));
    }

    #[test]
    fn wrong_password_does_not_verify() {
        let phc = hash_password("correct horse battery staple").unwrap();
        assert!(!verify_password("Correct horse battery staple", &phc));
    }

    #[test]
    fn same_password_gets_a_different_salt_each_time() {
        assert_ne!(hash_password("pw").unwrap(), hash_password("pw").unwrap());
    }

    #[test]
    fn garbage_phc_is_false_not_a_panic() {
        for phc in [
            "",
            "not a hash",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$$",
            "$$$$",
        ] {
            assert!(!verify_password("pw", phc), "{phc:?}");
        }
    }

    #[test]
    fn absurd_memory_cost_is_refused_without_allocating() {
        let phc = hash_password("pw").unwrap();
        let hostile = phc.replace("m=19456", "m=4294967295");
        assert!(!verify_password("pw", &hostile));
    }

    #[test]
    fn dummy_verification_runs() {
        let mut worker = PasswordWorker::new();
        worker.verify_dummy("anything");
        assert!(dummy_hash(&mut worker).is_some());
    }

    #[test]
    fn a_worker_reuses_its_memory_across_calls() {
        let mut worker = PasswordWorker::new();
        let first = worker.hash("first password").unwrap();
        let second = worker.hash("second password").unwrap();
        assert!(worker.verify("first password", &first));
        assert!(worker.verify("second password", &second));
        assert!(!worker.verify("second password", &first));
    }

    #[test]
    fn verifies_hashes_made_by_the_argon2_crate_itself() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        let phc = Argon2::default()
            .hash_password(b"interop", &salt)
            .unwrap()
            .to_string();
        let mut worker = PasswordWorker::new();
        assert!(worker.verify("interop", &phc));
        // Other parameters (here less memory, another variant) verify too.
        let other = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(8192, 3, 1, None).unwrap(),
        )
        .hash_password(b"interop", &salt)
        .unwrap()
        .to_string();
        assert!(worker.verify("interop", &other));
        assert!(!worker.verify("nope", &other));
    }
}
