//! IP address and CIDR checks with the parsing rules and messages
//! kube-apiserver uses (Go's "sloppy" legacy parser, the strict netip rules,
//! and the canonical text forms).

use crate::validation::field::{FieldError, Path, go_quote, invalid};

/// Whether legacy IP/CIDR fields are checked with the strict rules (the
/// StrictIPCIDRValidation feature gate; off by default, so only unparseable
/// values are rejected).
const STRICT_LEGACY_IP_CIDR: bool = false;

/// A parsed address as Go's net.IP: 16 bytes, IPv4 stored IPv4-mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ip([u8; 16]);

const V4_PREFIX: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

impl Ip {
    /// The IPv4 bytes when the address is IPv4 (or IPv4-mapped IPv6).
    pub fn to4(&self) -> Option<[u8; 4]> {
        if self.0[..12] == V4_PREFIX { Some([self.0[12], self.0[13], self.0[14], self.0[15]]) } else { None }
    }

    /// Whether the address is IPv6 (not IPv4 nor IPv4-mapped).
    pub fn is_v6(&self) -> bool {
        self.to4().is_none()
    }

    fn is_unspecified(&self) -> bool {
        self.0 == [0; 16] || self.to4() == Some([0, 0, 0, 0])
    }

    fn is_loopback(&self) -> bool {
        match self.to4() {
            Some(v4) => v4[0] == 127,
            None => self.0 == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        }
    }

    fn is_link_local_unicast(&self) -> bool {
        match self.to4() {
            Some(v4) => v4[0] == 169 && v4[1] == 254,
            None => self.0[0] == 0xfe && self.0[1] & 0xc0 == 0x80,
        }
    }

    fn is_link_local_multicast(&self) -> bool {
        match self.to4() {
            Some(v4) => v4[0] == 224 && v4[1] == 0 && v4[2] == 0,
            None => self.0[0] == 0xff && self.0[1] & 0x0f == 0x02,
        }
    }
}

impl std::fmt::Display for Ip {
    /// Go's net.IP.String(): dotted quad for IPv4, RFC 5952 for IPv6.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(v4) = self.to4() {
            return write!(f, "{}.{}.{}.{}", v4[0], v4[1], v4[2], v4[3]);
        }
        let groups: Vec<u16> = (0..8).map(|i| u16::from_be_bytes([self.0[2 * i], self.0[2 * i + 1]])).collect();
        // Longest run of at least two zero groups, first one on ties.
        let (mut best_start, mut best_len) = (usize::MAX, 0);
        let mut i = 0;
        while i < 8 {
            if groups[i] == 0 {
                let start = i;
                while i < 8 && groups[i] == 0 {
                    i += 1;
                }
                if i - start > best_len && i - start >= 2 {
                    best_start = start;
                    best_len = i - start;
                }
            } else {
                i += 1;
            }
        }
        let mut out = String::new();
        let mut i = 0;
        while i < 8 {
            if i == best_start {
                out.push_str("::");
                i += best_len;
                continue;
            }
            if !out.is_empty() && !out.ends_with(':') {
                out.push(':');
            }
            out.push_str(&format!("{:x}", groups[i]));
            i += 1;
        }
        f.write_str(&out)
    }
}

/// Parses dotted decimal IPv4; `strict` rejects leading zeros.
fn parse_v4(s: &str, strict: bool) -> Option<[u8; 4]> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if strict && p.len() > 1 && p.starts_with('0') {
            return None;
        }
        let digits = p.trim_start_matches('0');
        if digits.len() > 3 {
            return None;
        }
        let n: u32 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
        if n > 255 {
            return None;
        }
        out[i] = n as u8;
    }
    Some(out)
}

/// Parses IPv6 text (with an optional trailing dotted IPv4), no zone.
fn parse_v6(s: &str, strict: bool) -> Option<[u8; 16]> {
    let (head, tail) = match s.find("::") {
        Some(pos) => (&s[..pos], Some(&s[pos + 2..])),
        None => (s, None),
    };
    if tail.is_some_and(|t| t.contains("::")) {
        return None;
    }
    let parse_groups = |part: &str, allow_v4: bool| -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        if part.is_empty() {
            return Some(bytes);
        }
        let fields: Vec<&str> = part.split(':').collect();
        for (i, field) in fields.iter().enumerate() {
            if allow_v4 && i == fields.len() - 1 && field.contains('.') {
                bytes.extend_from_slice(&parse_v4(field, strict)?);
                continue;
            }
            if field.is_empty() || field.len() > 4 || !field.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            let v = u16::from_str_radix(field, 16).ok()?;
            bytes.extend_from_slice(&v.to_be_bytes());
        }
        Some(bytes)
    };
    let mut out = [0u8; 16];
    match tail {
        None => {
            let bytes = parse_groups(head, true)?;
            if bytes.len() != 16 {
                return None;
            }
            out.copy_from_slice(&bytes);
        }
        Some(tail) => {
            let h = parse_groups(head, false)?;
            let t = parse_groups(tail, true)?;
            if h.len() + t.len() > 14 {
                return None;
            }
            out[..h.len()].copy_from_slice(&h);
            out[16 - t.len()..].copy_from_slice(&t);
        }
    }
    Some(out)
}

/// netutils.ParseIPSloppy: Go's pre-1.17 net.ParseIP (IPv4 leading zeros allowed).
pub fn parse_ip_sloppy(s: &str) -> Option<Ip> {
    parse_ip(s, false)
}

fn parse_ip(s: &str, strict: bool) -> Option<Ip> {
    if s.contains(':') {
        parse_v6(s, strict).map(Ip)
    } else {
        let v4 = parse_v4(s, strict)?;
        let mut b = [0u8; 16];
        b[..12].copy_from_slice(&V4_PREFIX);
        b[12..].copy_from_slice(&v4);
        Some(Ip(b))
    }
}

/// Whether the text is an IPv6 address (netutils.IsIPv6String).
pub fn is_ipv6_string(s: &str) -> bool {
    parse_ip_sloppy(s).is_some_and(|ip| ip.is_v6())
}

fn ip_errors(path: &Path, value: &str, strict: bool) -> (Option<Ip>, Vec<FieldError>) {
    let Some(ip) = parse_ip_sloppy(value) else {
        return (None, vec![invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]);
    };
    let mut errs = Vec::new();
    if strict {
        if parse_ip(value, true).is_none() {
            errs.push(invalid(path, value, "must not have leading 0s"));
        }
        // netip keeps an IPv4-mapped IPv6 address as IPv6.
        if value.contains(':') && ip.to4().is_some() {
            errs.push(invalid(path, value, "must not be an IPv4-mapped IPv6 address"));
        }
    }
    (Some(ip), errs)
}

/// IsValidIPForLegacyField, with the strictness kube-apiserver 1.35 uses by default.
pub fn is_valid_ip_for_legacy_field(path: &Path, value: &str) -> Vec<FieldError> {
    ip_errors(path, value, STRICT_LEGACY_IP_CIDR).1
}

/// IsValidIP: strict parsing and canonical form.
pub fn is_valid_ip(path: &Path, value: &str) -> Vec<FieldError> {
    canonical_form(path, value, ip_errors(path, value, true))
}

/// The strict parse's errors or, when there are none, an error unless `value`
/// is the canonical text of what it parsed to (as IsValidIP and IsValidCIDR
/// require).
fn canonical_form<T: std::fmt::Display>(
    path: &Path,
    value: &str,
    (parsed, errs): (Option<T>, Vec<FieldError>),
) -> Vec<FieldError> {
    if !errs.is_empty() {
        return errs;
    }
    match parsed.map(|p| p.to_string()) {
        Some(canonical) if canonical != value => {
            vec![invalid(path, value, format!("must be in canonical form ({})", go_quote(&canonical)))]
        }
        _ => Vec::new(),
    }
}

/// Name check for networking IPAddress objects (the details of IsValidIP).
pub fn ip_address_name(name: &str) -> Vec<String> {
    is_valid_ip(&Path::new(""), name).into_iter().map(|e| e.detail).collect()
}

/// A parsed CIDR: the masked network address, prefix length and address width.
#[derive(Clone, Copy, Debug)]
pub struct Cidr {
    /// The network address (host bits cleared).
    pub network: Ip,
    /// The prefix length.
    pub prefix: u32,
    /// 32 for IPv4, 128 for IPv6.
    pub bits: u32,
    /// The address as written, before masking.
    pub addr: Ip,
}

impl Cidr {
    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: &Ip) -> bool {
        let (a, b, off) = if self.bits == 32 {
            match (ip.to4(), self.network.to4()) {
                (Some(_), Some(_)) => (ip.0, self.network.0, 12),
                _ => return false,
            }
        } else {
            if !ip.is_v6() && self.network.is_v6() {
                return false;
            }
            (ip.0, self.network.0, 0)
        };
        masked(&a, off, self.prefix) == masked(&b, off, self.prefix)
    }
}

fn masked(b: &[u8; 16], off: usize, prefix: u32) -> [u8; 16] {
    let mut out = *b;
    for (i, byte) in out.iter_mut().enumerate().skip(off) {
        let bit_start = ((i - off) * 8) as u32;
        if bit_start >= prefix {
            *byte = 0;
        } else if bit_start + 8 > prefix {
            let keep = prefix - bit_start;
            *byte &= 0xffu8 << (8 - keep);
        }
    }
    out
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// netutils.ParseCIDRSloppy.
pub fn parse_cidr_sloppy(s: &str) -> Option<Cidr> {
    let (addr, mask) = s.split_once('/')?;
    let (ip, bits) = match parse_v4(addr, false) {
        Some(_) if !addr.contains(':') => (parse_ip(addr, false)?, 32),
        _ => (Ip(parse_v6(addr, false)?), 128),
    };
    if mask.is_empty() || !mask.bytes().all(|c| c.is_ascii_digit()) || mask.len() > 8 {
        return None;
    }
    let prefix: u32 = mask.parse().ok()?;
    if prefix > bits {
        return None;
    }
    let off = if bits == 32 { 12 } else { 0 };
    Some(Cidr { network: Ip(masked(&ip.0, off, prefix)), prefix, bits, addr: ip })
}

fn cidr_errors(path: &Path, value: &str, strict: bool) -> (Option<Cidr>, Vec<FieldError>) {
    let Some(cidr) = parse_cidr_sloppy(value) else {
        return (None, vec![invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]);
    };
    let mut errs = Vec::new();
    if strict {
        let (addr, mask) = value.split_once('/').unwrap_or((value, ""));
        if parse_ip(addr, true).is_none() || (mask.len() > 1 && mask.starts_with('0')) {
            errs.push(invalid(path, value, "must not have leading 0s in IP or prefix length"));
        } else if addr.contains(':') && cidr.addr.to4().is_some() {
            errs.push(invalid(path, value, "must not have an IPv4-mapped IPv6 address"));
        } else if cidr.addr != cidr.network {
            errs.push(invalid(path, value, "must not have bits set beyond the prefix length"));
        }
    }
    (Some(cidr), errs)
}

/// IsValidCIDRForLegacyField, with the strictness kube-apiserver 1.35 uses by default.
pub fn is_valid_cidr_for_legacy_field(path: &Path, value: &str) -> Vec<FieldError> {
    cidr_errors(path, value, STRICT_LEGACY_IP_CIDR).1
}

/// IsValidCIDR: strict parsing and canonical form.
pub fn is_valid_cidr(path: &Path, value: &str) -> Vec<FieldError> {
    canonical_form(path, value, cidr_errors(path, value, true))
}

/// ValidateNonSpecialIP (endpoints, external IPs).
pub fn validate_non_special_ip(path: &Path, value: &str) -> Vec<FieldError> {
    let Some(ip) = parse_ip_sloppy(value) else {
        return vec![invalid(path, value, "must be a valid IP address")];
    };
    let mut errs = Vec::new();
    if ip.is_unspecified() {
        errs.push(invalid(path, value, format!("may not be unspecified ({value})")));
    }
    if ip.is_loopback() {
        errs.push(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    }
    if ip.is_link_local_unicast() {
        errs.push(invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
    }
    if ip.is_link_local_multicast() {
        errs.push(invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
    }
    errs
}

/// netutils.IsDualStackIPStrings: exactly one IPv4 and one IPv6 address among the first two.
pub fn is_dual_stack_ips(ips: &[String]) -> bool {
    if ips.len() > 2 {
        return false;
    }
    let v6: Vec<bool> = ips.iter().filter_map(|s| parse_ip_sloppy(s)).map(|ip| ip.is_v6()).collect();
    v6.len() == 2 && v6[0] != v6[1]
}

/// netutils.IsDualStackCIDRStrings.
pub fn is_dual_stack_cidrs(cidrs: &[String]) -> bool {
    if cidrs.len() > 2 {
        return false;
    }
    let v6: Vec<bool> = cidrs.iter().filter_map(|s| parse_cidr_sloppy(s)).map(|c| c.bits == 128).collect();
    v6.len() == 2 && v6[0] != v6[1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_like_go() {
        assert_eq!(parse_ip_sloppy("10.0.0.1").map(|i| i.to_string()).as_deref(), Some("10.0.0.1"));
        assert_eq!(parse_ip_sloppy("010.0.0.1").map(|i| i.to_string()).as_deref(), Some("10.0.0.1"));
        assert_eq!(parse_ip_sloppy("2001:DB8:0:0:0:0:0:1").map(|i| i.to_string()).as_deref(), Some("2001:db8::1"));
        assert_eq!(parse_ip_sloppy("::ffff:1.2.3.4").map(|i| i.to_string()).as_deref(), Some("1.2.3.4"));
        assert_eq!(parse_ip_sloppy("::").map(|i| i.to_string()).as_deref(), Some("::"));
        assert!(parse_ip_sloppy("1.2.3").is_none());
        assert!(parse_ip_sloppy("1.2.3.256").is_none());
        assert!(parse_ip_sloppy("foo").is_none());
    }

    #[test]
    fn ip_messages() {
        let p = Path::new("spec").child("clusterIPs").index(0);
        assert_eq!(
            is_valid_ip_for_legacy_field(&p, "1.2.3").first().map(|e| e.to_string()),
            Some("spec.clusterIPs[0]: Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".to_string())
        );
        assert!(is_valid_ip_for_legacy_field(&p, "010.0.0.1").is_empty());
        assert_eq!(is_valid_ip(&p, "010.0.0.1")[0].detail, "must not have leading 0s");
        assert_eq!(is_valid_ip(&p, "2001:DB8::1")[0].detail, "must be in canonical form (\"2001:db8::1\")");
    }

    #[test]
    fn cidrs() {
        let p = Path::new("cidr");
        assert!(is_valid_cidr_for_legacy_field(&p, "10.0.0.0/8").is_empty());
        assert_eq!(is_valid_cidr(&p, "10.0.0.1/8")[0].detail, "must not have bits set beyond the prefix length");
        assert_eq!(
            is_valid_cidr_for_legacy_field(&p, "10.0.0.0/33")[0].detail,
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        );
        let c = parse_cidr_sloppy("10.0.0.0/8").expect("valid");
        assert!(c.contains(&parse_ip_sloppy("10.1.2.3").expect("valid")));
        assert!(!c.contains(&parse_ip_sloppy("11.1.2.3").expect("valid")));
        assert!(is_dual_stack_cidrs(&["10.0.0.0/8".into(), "fd00::/64".into()]));
    }
}
