//! The `webhook-signature` header: `v1,` and the base64 of HMAC-SHA256 over
//! `{webhook-id}.{webhook-timestamp}.{body}`, one per secret in force, separated by spaces.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::Secret;

type HmacSha256 = Hmac<Sha256>;

/// Signs messages with every secret an endpoint has in force (two during a rotation).
pub struct Signer<'a> {
    secrets: &'a [Secret],
}

impl<'a> Signer<'a> {
    pub fn new(secrets: &'a [Secret]) -> Signer<'a> {
        Signer { secrets }
    }

    /// The `webhook-signature` header for this message.
    pub fn header(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        self.secrets
            .iter()
            .map(|secret| format!("v1,{}", STANDARD.encode(mac(secret, id, timestamp, body))))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn mac(secret: &Secret, id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    #[allow(clippy::expect_used)]
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts keys of any length (long ones are hashed first)");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Whether `header` (a `webhook-signature` value) carries a valid `v1` signature of this
/// message by `secret`, compared in constant time. Checking the timestamp's age is the
/// receiver's part (the specification suggests five minutes either way).
pub fn verify(secret: &Secret, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let expected = mac(secret, id, timestamp, body);
    header
        .split(' ')
        .filter_map(|part| part.strip_prefix("v1,"))
        .filter_map(|encoded| STANDARD.decode(encoded).ok())
        .any(|given| bool::from(given.ct_eq(&expected)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The example in the Standard Webhooks specification's test vectors.
    #[test]
    fn matches_the_specification_example() {
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let header = Signer::new(&[secret]).header(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(header, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn signs_with_every_secret_and_verifies_with_either() {
        let (old, new) = (Secret::generate(), Secret::generate());
        let header = Signer::new(&[new.clone(), old.clone()]).header("m", 7, b"{}");
        assert_eq!(header.split(' ').count(), 2);
        assert!(verify(&old, "m", 7, b"{}", &header));
        assert!(verify(&new, "m", 7, b"{}", &header));
        assert!(!verify(&Secret::generate(), "m", 7, b"{}", &header));
        assert!(!verify(&new, "m", 8, b"{}", &header));
    }
}
