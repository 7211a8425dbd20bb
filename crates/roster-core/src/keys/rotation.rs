//! `keys.rotate` (`roster keys rotate`) and `keys.retire` (each instance's periodic look at the
//! keys): the operator's and Roster's own operations on the signing keys, each recorded in the
//! platform's audit log.

use roster_auth::{is_sealed, KeyEncryptionKey};
use roster_store::signing_keys::{self, SigningKeyRow};
use roster_store::Ts;

use super::events;
use super::{insert_new_key, key_pair};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

/// Adds a new signing key; instances sign with it from their next key refresh.
///
/// The new key is sealed exactly as the key that signs now is, with a key-encryption key that
/// opens every active key: the running instances open keys with theirs, so a key sealed with
/// another (or sealed where they have none) would be one they cannot read, and they would go
/// on signing with the old key until it retired.
#[derive(Clone)]
pub struct RotateSigningKey {
    pub encryption_key: Option<KeyEncryptionKey>,
}

impl Declared for RotateSigningKey {
    const NAME: &'static str = "keys.rotate";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for RotateSigningKey {
    /// The new key's id.
    type Output = String;

    fn run(self, cx: &mut Context<'_>) -> Result<String, CoreError> {
        let active = signing_keys::active(cx.conn())?;
        let signing_sealed = active
            .first()
            .is_some_and(|row| is_sealed(&row.private_key));
        match (&self.encryption_key, signing_sealed) {
            (None, true) => {
                return Err(CoreError::BadRequest(
                    "the signing keys are encrypted: set ROSTER_KEY_ENCRYPTION_KEY (the servers' own) to rotate them"
                        .into(),
                ))
            }
            (Some(_), false) if !active.is_empty() => {
                return Err(CoreError::BadRequest(
                    "the signing keys are stored unencrypted, so the servers run without a key-encryption key: start them with ROSTER_KEY_ENCRYPTION_KEY first (they encrypt the keys), then rotate with the same key"
                        .into(),
                ))
            }
            _ => {}
        }
        if let Some(kek) = &self.encryption_key {
            ensure_opens_every_key(&active, kek)?;
        }
        let kid = insert_new_key(cx.conn(), self.encryption_key.as_ref())?;
        cx.record(events::rotated(&kid, self.encryption_key.is_some()));
        Ok(kid)
    }
}

/// 400 unless `kek` opens every sealed key in `active`.
fn ensure_opens_every_key(
    active: &[SigningKeyRow],
    kek: &KeyEncryptionKey,
) -> Result<(), CoreError> {
    for row in active.iter().filter(|row| is_sealed(&row.private_key)) {
        if key_pair(row, Some(kek)).is_err() {
            return Err(CoreError::BadRequest(format!(
                "ROSTER_KEY_ENCRYPTION_KEY does not open signing key {}: rotate with the key the servers run with",
                row.kid
            )));
        }
    }
    Ok(())
}

/// Marks `signing` as the key this instance signs with, then retires every key that no live
/// token can need: replaced by a newer key more than `overlap` (a token lifetime and a refresh
/// interval) ago, and signed with by no instance for as long. A key some instance still signs
/// with (one that could not load the newest) is never retired under it.
#[derive(Debug, Clone)]
pub struct RetireReplacedKeys {
    pub signing: String,
    pub overlap: chrono::Duration,
}

impl Declared for RetireReplacedKeys {
    const NAME: &'static str = "keys.retire";
    const REQUIRES: Requirement = Requirement::Operator;
    const KIND: Kind = Kind::Write;
}

impl Operation for RetireReplacedKeys {
    /// The keys retired.
    type Output = Vec<String>;

    fn run(self, cx: &mut Context<'_>) -> Result<Vec<String>, CoreError> {
        let now = cx.now();
        signing_keys::mark_signing(cx.conn(), &self.signing, now)?;
        let active = signing_keys::active(cx.conn())?;
        let Some(newest) = active.first() else {
            return Ok(Vec::new());
        };
        let long_ago = |at: Ts| at.0 + self.overlap <= now.0;
        if !long_ago(newest.created_at) {
            return Ok(Vec::new());
        }
        let retired: Vec<String> = active[1..]
            .iter()
            .filter(|row| row.last_signed_at.is_none_or(long_ago))
            .map(|row| row.kid.clone())
            .collect();
        if retired.is_empty() {
            return Ok(retired);
        }
        signing_keys::retire(cx.conn(), &retired, now)?;
        for kid in &retired {
            cx.record(events::retired(kid));
        }
        tracing::info!(kids = ?retired, "retired replaced signing keys");
        Ok(retired)
    }
}
