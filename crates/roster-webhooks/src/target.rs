//! Where messages may go: `https` URLs of public addresses. Checked when an endpoint is saved
//! and again at every connection, after DNS, so a name that later resolves to an internal
//! address (DNS rebinding) reaches nothing inside.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use url::Url;

/// The longest URL an endpoint may have.
const MAX_URL_LEN: usize = 2048;

/// Whether private targets (and plain `http`) are allowed: for development and for receivers
/// inside the operator's own network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetPolicy {
    pub allow_private: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TargetError {
    #[error("not an absolute URL")]
    Malformed,
    #[error("the URL is longer than 2048 characters")]
    TooLong,
    #[error("only https URLs are allowed (http too when the server allows private targets)")]
    Scheme,
    #[error("the URL may not carry a user name or password")]
    Credentials,
    #[error("{0} is a loopback, private, link-local or otherwise non-public address; webhooks go to public addresses unless the server allows private targets")]
    NotPublic(IpAddr),
    #[error("{0} does not resolve to any address")]
    Unresolvable(String),
}

impl TargetPolicy {
    /// The URL, if its form is acceptable: a scheme this policy allows, a host, no credentials,
    /// and (for a literal address or a name that is local by definition) a public address.
    /// DNS is not asked here; see [`check_resolved`](Self::check_resolved).
    pub fn check_url(&self, raw: &str) -> Result<Url, TargetError> {
        if raw.len() > MAX_URL_LEN {
            return Err(TargetError::TooLong);
        }
        let url = Url::parse(raw).map_err(|_| TargetError::Malformed)?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_private => {}
            _ => return Err(TargetError::Scheme),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(TargetError::Credentials);
        }
        match url.host() {
            None => return Err(TargetError::Malformed),
            Some(url::Host::Ipv4(ip)) => self.check_address(IpAddr::V4(ip))?,
            Some(url::Host::Ipv6(ip)) => self.check_address(IpAddr::V6(ip))?,
            Some(url::Host::Domain(name)) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                let local = name == "localhost"
                    || name.ends_with(".localhost")
                    || name.ends_with(".internal")
                    || name.ends_with(".local");
                if local && !self.allow_private {
                    return Err(TargetError::NotPublic(IpAddr::V4(Ipv4Addr::LOCALHOST)));
                }
            }
        }
        Ok(url)
    }

    /// [`check_url`](Self::check_url), then every address the host resolves to now must be
    /// public (when the endpoint is saved).
    pub fn check_resolved(&self, raw: &str) -> Result<Url, TargetError> {
        let url = self.check_url(raw)?;
        if !self.allow_private {
            for address in resolve(&url)? {
                self.check_address(address.ip())?;
            }
        }
        Ok(url)
    }

    /// Refuses a non-public address unless private targets are allowed.
    pub fn check_address(&self, address: IpAddr) -> Result<(), TargetError> {
        if self.allow_private || is_public_address(address) {
            Ok(())
        } else {
            Err(TargetError::NotPublic(address))
        }
    }
}

fn resolve(url: &Url) -> Result<Vec<SocketAddr>, TargetError> {
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or(443);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|_| TargetError::Unresolvable(host.to_owned()))?
        .collect();
    if addresses.is_empty() {
        return Err(TargetError::Unresolvable(host.to_owned()));
    }
    Ok(addresses)
}

/// Whether `address` is a public unicast address: not loopback, private (RFC 1918, unique
/// local), link-local (cloud metadata services live there), shared (CGNAT), unspecified,
/// multicast, broadcast, documentation, benchmarking or reserved. IPv4 inside IPv6 (mapped,
/// compatible, NAT64) is judged as the IPv4 address it carries.
pub fn is_public_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form (::a.b.c.d).
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] || segments[..6] == [0, 0, 0, 0, 0, 0] {
        let [a, b] = segments[6].to_be_bytes();
        let [c, d] = segments[7].to_be_bytes();
        return !ip.is_unspecified()
            && !ip.is_loopback()
            && is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    let first = segments[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (first == 0x2001 && segments[1] == 0x0db8) // documentation
        || (first == 0x2001 && segments[1] < 0x0200)) // IETF protocol assignments (Teredo …)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
        ] {
            assert!(!is_public_address(private.parse().unwrap()), "{private}");
        }
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "203.0.114.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public_address(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn refuses_urls_that_lead_inside() {
        let strict = TargetPolicy::default();
        for bad in [
            "http://example.com/hook",
            "https://127.0.0.1/hook",
            "https://[::1]/hook",
            "https://localhost/hook",
            "https://metadata.google.internal/",
            "https://user:pw@example.com/",
            "ftp://example.com/",
            "not a url",
            "https://169.254.169.254/latest/meta-data/",
        ] {
            assert!(strict.check_url(bad).is_err(), "{bad}");
        }
        assert!(strict.check_url("https://example.com/hooks/roster").is_ok());
        let open = TargetPolicy {
            allow_private: true,
        };
        assert!(open.check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(open.check_url("ftp://example.com/").is_err());
    }
}
