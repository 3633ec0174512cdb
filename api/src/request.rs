//! Request info: what a request is about, from its method, path and query,
//! as kube-apiserver's RequestInfoFactory decides it (verb, API group,
//! version, namespace, resource, name, subresource). Everything after this
//! stage works on a `RequestInfo`, never on the raw path.

/// What a request is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestInfo {
    /// Whether the path names a resource (`/api/v1/pods`) rather than
    /// discovery or another non-resource path.
    pub is_resource: bool,
    /// `api` or `apis`.
    pub api_prefix: String,
    /// The API group, "" for core.
    pub group: String,
    /// The version.
    pub version: String,
    /// The verb: get, list, watch, create, update, patch, delete,
    /// deletecollection, proxy.
    pub verb: String,
    /// The namespace, "" for cluster-scoped requests and all-namespace lists.
    pub namespace: String,
    /// The resource (plural).
    pub resource: String,
    /// The subresource (status, scale, ...), "" if none.
    pub subresource: String,
    /// The object name, "" for collections.
    pub name: String,
    /// Path segments after the subresource (for proxy).
    pub parts: Vec<String>,
}

/// Parses a method, path and `watch` flag into a `RequestInfo`.
pub fn parse(method: &http::Method, path: &str, watch_param: bool) -> RequestInfo {
    let mut info = RequestInfo::default();
    let mut parts: Vec<&str> = path.trim_matches('/').split('/').filter(|p| !p.is_empty()).collect();
    info.verb = match *method {
        http::Method::POST => "create",
        http::Method::GET | http::Method::HEAD => "get",
        http::Method::PUT => "update",
        http::Method::PATCH => "patch",
        http::Method::DELETE => "delete",
        _ => "",
    }
    .to_string();
    let Some(&prefix) = parts.first() else { return info };
    if prefix != "api" && prefix != "apis" {
        return info;
    }
    info.api_prefix = prefix.to_string();
    parts.remove(0);
    if prefix == "apis" {
        let Some(&group) = parts.first() else { return info };
        info.group = group.to_string();
        parts.remove(0);
    }
    let Some(&version) = parts.first() else { return info };
    info.version = version.to_string();
    parts.remove(0);
    if parts.is_empty() {
        return info;
    }
    info.is_resource = true;
    if parts[0] == "watch" || parts[0] == "proxy" {
        info.verb = parts[0].to_string();
        parts.remove(0);
    }
    if parts.first() == Some(&"namespaces") && parts.len() > 1 {
        info.namespace = parts[1].to_string();
        // /namespaces/{name}/status and /finalize are the namespace's own
        // subresources; anything else is a resource in the namespace.
        if parts.len() > 2 && parts[2] != "status" && parts[2] != "finalize" {
            parts.drain(..2);
        }
    }
    if let Some(resource) = parts.first() {
        info.resource = resource.to_string();
    }
    if let Some(name) = parts.get(1) {
        info.name = name.to_string();
    }
    if let Some(sub) = parts.get(2) {
        info.subresource = sub.to_string();
    }
    info.parts = parts.iter().skip(3).map(|p| p.to_string()).collect();
    // The namespace resource itself is not namespaced.
    if info.resource == "namespaces" {
        info.namespace = if info.name.is_empty() { String::new() } else { info.name.clone() };
    }
    if info.name.is_empty() {
        match info.verb.as_str() {
            "get" if watch_param => info.verb = "watch".into(),
            "get" => info.verb = "list".into(),
            "delete" => info.verb = "deletecollection".into(),
            _ => {}
        }
    } else if info.verb == "get" && watch_param {
        info.verb = "watch".into();
    }
    info
}

/// A boolean query option, as kube-apiserver's parameter conversion reads
/// one: only `0` and `false` (any case) are false; anything else, even an
/// empty value or `maybe`, is true.
pub fn query_bool(v: &str) -> bool {
    v != "0" && !v.eq_ignore_ascii_case("false")
}

#[cfg(test)]
mod tests {
    use http::Method;

    use super::*;

    fn p(method: Method, path: &str, watch: bool) -> RequestInfo {
        parse(&method, path, watch)
    }

    #[test]
    fn paths_as_kube_apiserver_reads_them() {
        let r = p(Method::GET, "/api/v1/namespaces/default/pods/web", false);
        assert_eq!(
            (r.verb.as_str(), r.namespace.as_str(), r.resource.as_str(), r.name.as_str()),
            ("get", "default", "pods", "web")
        );
        let r = p(Method::GET, "/apis/apps/v1/deployments", true);
        assert_eq!(
            (r.verb.as_str(), r.group.as_str(), r.resource.as_str(), r.namespace.as_str()),
            ("watch", "apps", "deployments", "")
        );
        let r = p(Method::GET, "/api/v1/watch/namespaces/ns/configmaps", false);
        assert_eq!((r.verb.as_str(), r.namespace.as_str(), r.resource.as_str()), ("watch", "ns", "configmaps"));
        let r = p(Method::PUT, "/apis/apps/v1/namespaces/ns/deployments/d/scale", false);
        assert_eq!((r.verb.as_str(), r.subresource.as_str(), r.name.as_str()), ("update", "scale", "d"));
        let r = p(Method::DELETE, "/api/v1/namespaces/ns/pods", false);
        assert_eq!(r.verb, "deletecollection");
        let r = p(Method::PUT, "/api/v1/namespaces/ns/finalize", false);
        assert_eq!(
            (r.resource.as_str(), r.name.as_str(), r.subresource.as_str(), r.namespace.as_str()),
            ("namespaces", "ns", "finalize", "ns")
        );
        let r = p(Method::GET, "/api/v1/namespaces", false);
        assert_eq!((r.verb.as_str(), r.resource.as_str(), r.namespace.as_str()), ("list", "namespaces", ""));
        let r = p(Method::GET, "/api/v1/namespaces/kube-system", false);
        assert_eq!((r.verb.as_str(), r.resource.as_str(), r.name.as_str()), ("get", "namespaces", "kube-system"));
        let r = p(Method::GET, "/apis/apps/v1", false);
        assert!(!r.is_resource);
        assert!(!p(Method::GET, "/healthz", false).is_resource);
    }
}
