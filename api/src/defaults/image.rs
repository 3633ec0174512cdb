//! The tag of a container image reference, as kube-apiserver reads it to
//! default `imagePullPolicy`.
//!
//! Like kube-apiserver (which uses the distribution/reference grammar), a
//! reference with neither tag nor digest has the tag "latest", and one that
//! does not parse has no tag at all.

/// The image's tag: "latest" when it names neither tag nor digest, "" when
/// the reference is invalid or has only a digest.
pub(super) fn tag(image: &str) -> &str {
    parse(image).unwrap_or("")
}

/// The pull policy kube-apiserver defaults for an image: `Always` for the
/// "latest" tag, `IfNotPresent` otherwise.
pub(super) fn default_pull_policy(image: &str) -> &'static str {
    if tag(image) == "latest" { "Always" } else { "IfNotPresent" }
}

const DEFAULT_DOMAIN: &str = "docker.io";
const NAME_TOTAL_LENGTH_MAX: usize = 255;

fn parse(image: &str) -> Option<&str> {
    // A bare 64-character hex identifier is refused as a repository name.
    if image.len() == 64 && image.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let (name_and_tag, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    // The tag follows the last ':' that comes after the last '/'.
    let slash = name_and_tag.rfind('/');
    let (name, tag) = match name_and_tag.rfind(':') {
        Some(colon) if slash.is_none_or(|s| colon > s) => (&name_and_tag[..colon], Some(&name_and_tag[colon + 1..])),
        _ => (name_and_tag, None),
    };
    let (domain, remainder) = split_domain(name);
    if remainder.to_lowercase() != remainder {
        return None;
    }
    if domain.len() + 1 + remainder.len() > NAME_TOTAL_LENGTH_MAX {
        return None;
    }
    if !valid_domain(domain) || !remainder.split('/').all(valid_path_component) {
        return None;
    }
    if let Some(tag) = tag
        && !valid_tag(tag)
    {
        return None;
    }
    if let Some(digest) = digest
        && !valid_digest(digest)
    {
        return None;
    }
    match (tag, digest) {
        (Some(tag), _) => Some(tag),
        (None, Some(_)) => Some(""),
        (None, None) => Some("latest"),
    }
}

/// Splits off the registry the way Docker normalises names: the first
/// component is a registry only if it looks like a host.
fn split_domain(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first => {
            (first, rest)
        }
        _ => (DEFAULT_DOMAIN, name),
    }
}

fn valid_domain(domain: &str) -> bool {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        // An IPv6 literal.
        let Some((inside, after)) = rest.split_once(']') else { return false };
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        return after.is_empty()
            || after.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (domain, None),
        }
    };
    let host_ok = host.split('.').all(|label| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    });
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && alnum(bytes[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == bytes.len() {
            return true;
        }
        match &bytes[i..] {
            [b'_', b'_', ..] => i += 2,
            [b'.' | b'_', ..] => i += 1,
            [b'-', ..] => {
                while i < bytes.len() && bytes[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes[1..].iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// An algorithm kube-apiserver can verify, with an encoded value of the
/// right length.
fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, encoded)) = digest.split_once(':') else { return false };
    let length = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    encoded.len() == length && encoded.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let cases = [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.27", "IfNotPresent"),
            ("docker.io/library/nginx", "Always"),
            ("registry.k8s.io/pause:3.10", "IfNotPresent"),
            ("localhost:5000/app", "Always"),
            ("localhost:5000/app:v1", "IfNotPresent"),
            ("localhost:5000", "IfNotPresent"),
            ("[::1]:5000/app:latest", "Always"),
            ("nginx:Latest", "IfNotPresent"),
            ("Nginx", "IfNotPresent"),
            ("", "IfNotPresent"),
            ("nginx:", "IfNotPresent"),
        ];
        for (image, want) in cases {
            assert_eq!(default_pull_policy(image), want, "image {image:?}");
        }
        assert_eq!(default_pull_policy(&format!("nginx@{digest}")), "IfNotPresent");
        assert_eq!(default_pull_policy(&format!("nginx:latest@{digest}")), "Always");
        assert_eq!(default_pull_policy("nginx@sha256:abc"), "IfNotPresent");
    }
}
