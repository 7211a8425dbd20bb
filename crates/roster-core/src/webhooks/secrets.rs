//! Endpoint secrets at rest: sealed with the key-encryption key when the server has one (as the
//! signing keys are), so that the database alone is not enough to forge a message.

use roster_auth::is_sealed;
use roster_domain::WebhookId;
use roster_webhooks::Secret;

use crate::{Core, CoreError};

/// The secret as it is stored.
pub(crate) fn seal(core: &Core, id: WebhookId, secret: &Secret) -> Result<Vec<u8>, CoreError> {
    match core.keys().ok().and_then(|keys| keys.encryption_key()) {
        Some(kek) => kek
            .seal(secret.as_bytes(), context(id).as_bytes())
            .map_err(|e| CoreError::Internal(format!("cannot seal a webhook secret: {e}"))),
        None => Ok(secret.as_bytes().to_vec()),
    }
}

/// The secret from its stored form.
pub(crate) fn open(core: &Core, id: WebhookId, stored: &[u8]) -> Result<Secret, CoreError> {
    let bytes = if is_sealed(stored) {
        let kek = core
            .keys()
            .ok()
            .and_then(|keys| keys.encryption_key())
            .ok_or_else(|| {
                CoreError::Internal(
                    "a webhook secret is sealed but the server has no key-encryption key".into(),
                )
            })?;
        kek.open(stored, context(id).as_bytes())
            .map_err(|e| CoreError::Internal(format!("cannot open a webhook secret: {e}")))?
    } else {
        stored.to_vec()
    };
    Secret::from_bytes(bytes)
        .map_err(|_| CoreError::Internal("a stored webhook secret is malformed".into()))
}

/// Binds a sealed secret to its endpoint: one cannot be moved to another row.
fn context(id: WebhookId) -> String {
    format!("webhook:{id}")
}
