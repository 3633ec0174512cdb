//! The gate every API request passes: authenticate, apply impersonation,
//! authorize. Its answers are kube-apiserver's: 401 `Unauthorized` for
//! unknown credentials, 403 `Forbidden` with upstream's message for a denied
//! request or impersonation.

use std::collections::BTreeMap;
use std::sync::Arc;

use http::{HeaderMap, Method};

use super::authn::{Authenticator, PeerCertificate};
use super::authz::{Chain, forbidden_message};
use super::{ANONYMOUS, AUTHENTICATED, Attributes, Decision, UserInfo};
use crate::audit::Recorder;
use crate::errors::{ApiError, GroupResource};
use crate::request;

/// Authentication and authorization, shared by every request.
pub struct AuthState {
    /// The authenticators.
    pub authn: Authenticator,
    /// The authorizer chain.
    pub authz: Arc<Chain>,
}

/// The Attributes of a request by `user`.
pub fn attributes(user: &UserInfo, method: &Method, path: &str, query: Option<&str>) -> Attributes {
    let params = crate::handlers::Query::parse(query);
    let watch = params.get("watch").is_some_and(request::query_bool);
    let mut info = request::parse(method, path, watch);
    // A list or watch of one object by name is authorized as that name, as
    // kube-apiserver does, so rules with resourceNames can allow it.
    if info.is_resource
        && info.name.is_empty()
        && matches!(info.verb.as_str(), "list" | "watch")
        && let Some(selector) = params.get("fieldSelector")
    {
        let names: Vec<&str> = selector
            .split(',')
            .filter_map(|term| term.strip_prefix("metadata.name==").or_else(|| term.strip_prefix("metadata.name=")))
            .collect();
        if let [name] = names.as_slice()
            && !matches!(*name, "" | "." | "..")
            && !name.contains(['/', '%'])
        {
            info.name = name.to_string();
        }
    }
    if info.is_resource {
        Attributes {
            user: user.clone(),
            verb: info.verb,
            resource_request: true,
            path: path.to_string(),
            namespace: info.namespace,
            api_group: info.group,
            api_version: info.version,
            resource: info.resource,
            subresource: info.subresource,
            name: info.name,
            field_selector: params.get("fieldSelector").unwrap_or_default().to_string(),
            label_selector: params.get("labelSelector").unwrap_or_default().to_string(),
        }
    } else {
        Attributes {
            user: user.clone(),
            verb: method.as_str().to_ascii_lowercase(),
            path: path.to_string(),
            ..Attributes::default()
        }
    }
}

/// The 403 for a denied `a`.
pub fn forbidden(a: &Attributes, reason: &str) -> ApiError {
    let mut why = forbidden_message(a);
    if !reason.is_empty() {
        why = format!("{why}: {reason}");
    }
    if !a.resource_request {
        return ApiError::forbidden(&GroupResource { group: "", resource: "" }, "", &why);
    }
    ApiError::forbidden(&GroupResource { group: &a.api_group, resource: &a.resource }, &a.name, &why)
}

impl AuthState {
    /// Who a request is, after impersonation, if it may do what it asks.
    pub async fn admit(
        &self,
        certificate: Option<&PeerCertificate>,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Result<UserInfo, ApiError> {
        let user = self.authenticate(certificate, path, headers).await?;
        self.authorize_request(user, method, path, query, headers, None).await
    }

    /// Who a request is (before impersonation): 401 for unknown
    /// credentials.
    pub async fn authenticate(
        &self,
        certificate: Option<&PeerCertificate>,
        path: &str,
        headers: &HeaderMap,
    ) -> Result<UserInfo, ApiError> {
        match self.authn.authenticate(certificate, headers, path).await {
            Ok(user) => Ok(user),
            Err(reason) => {
                tracing::debug!(%reason, %path, "unauthenticated request");
                Err(ApiError::unauthorized())
            }
        }
    }

    /// Applies impersonation and authorizes the request as the resulting
    /// user, noting both in the request's audit record.
    pub async fn authorize_request(
        &self,
        user: UserInfo,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        audit: Option<&Recorder>,
    ) -> Result<UserInfo, ApiError> {
        let user = self.impersonate(user, headers).await?;
        if let Some(r) = audit
            && headers.contains_key("impersonate-user")
        {
            r.impersonated(&user);
        }
        let a = attributes(&user, method, path, query);
        let (decision, reason) = self.authz.authorize(&a).await;
        if let Some(r) = audit {
            r.authorized(decision == Decision::Allow, &reason);
        }
        match decision {
            Decision::Allow => Ok(user),
            _ => Err(forbidden(&a, &reason)),
        }
    }

    /// Applies the Impersonate-* headers, each allowed by the `impersonate`
    /// verb on users, groups, uids, serviceaccounts or userextras.
    pub async fn impersonate(&self, user: UserInfo, headers: &HeaderMap) -> Result<UserInfo, ApiError> {
        let values = |name: &str| -> Vec<String> {
            headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
        };
        let names = values("impersonate-user");
        let groups = values("impersonate-group");
        let uids = values("impersonate-uid");
        let mut extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in headers {
            let key = k.as_str();
            if let Some(suffix) = key.strip_prefix("impersonate-extra-")
                && let Ok(v) = v.to_str()
            {
                let suffix = percent_decode(suffix);
                extra.entry(suffix).or_default().push(v.to_string());
            }
        }
        if names.is_empty() && groups.is_empty() && uids.is_empty() && extra.is_empty() {
            return Ok(user);
        }
        let bad = |why: &str| ApiError::new(400, "BadRequest", why.to_string());
        let [name] = names.as_slice() else {
            return Err(bad(
                "requested impersonation of groups, uid or extra without a user, or of more than one user",
            ));
        };
        if uids.len() > 1 {
            return Err(bad("only one Impersonate-Uid header may be given"));
        }
        let check = async |resource: &str, group: &str, namespace: &str, name: &str| -> Result<(), ApiError> {
            let a = Attributes {
                user: user.clone(),
                verb: "impersonate".into(),
                resource_request: true,
                namespace: namespace.into(),
                api_group: group.into(),
                resource: resource.into(),
                name: name.into(),
                ..Attributes::default()
            };
            match self.authz.authorize(&a).await {
                (Decision::Allow, _) => Ok(()),
                (_, reason) => Err(forbidden(&a, &reason)),
            }
        };
        let mut target = UserInfo { name: name.clone(), ..UserInfo::default() };
        if let Some(rest) = name.strip_prefix("system:serviceaccount:")
            && let Some((ns, sa)) = rest.split_once(':')
        {
            check("serviceaccounts", "", ns, sa).await?;
            if groups.is_empty() {
                target.groups = vec!["system:serviceaccounts".into(), format!("system:serviceaccounts:{ns}")];
            }
        } else {
            check("users", "", "", name).await?;
        }
        for g in &groups {
            check("groups", "", "", g).await?;
            target.groups.push(g.clone());
        }
        if let Some(uid) = uids.first() {
            check("uids", "authentication.k8s.io", "", uid).await?;
            target.uid = uid.clone();
        }
        for (k, vs) in &extra {
            for v in vs {
                check(&format!("userextras/{k}"), "authentication.k8s.io", "", v).await?;
            }
        }
        target.extra = extra;
        if target.name != ANONYMOUS && !target.groups.iter().any(|g| g == AUTHENTICATED) {
            target.groups.push(AUTHENTICATED.into());
        } else if target.name == ANONYMOUS && !target.groups.iter().any(|g| g == super::UNAUTHENTICATED) {
            target.groups.push(super::UNAUTHENTICATED.into());
        }
        Ok(target)
    }
}

/// Undoes the %-escapes of an Impersonate-Extra- (or X-Remote-Extra-)
/// header name.
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_or_watch_by_name_is_authorized_as_that_name() {
        let user = UserInfo::default();
        let a = attributes(
            &user,
            &Method::GET,
            "/api/v1/namespaces/default/configmaps",
            Some("fieldSelector=metadata.name%3Dc%2Cmetadata.namespace%3Ddefault&watch=1"),
        );
        assert_eq!((a.verb.as_str(), a.name.as_str(), a.resource.as_str()), ("watch", "c", "configmaps"));
        let a = attributes(&user, &Method::GET, "/api/v1/configmaps", Some("fieldSelector=metadata.name!%3Dc"));
        assert_eq!((a.verb.as_str(), a.name.as_str()), ("list", ""));
        let a = attributes(&user, &Method::GET, "/apis", None);
        assert!(!a.resource_request);
        assert_eq!((a.verb.as_str(), a.path.as_str()), ("get", "/apis"));
    }
}
