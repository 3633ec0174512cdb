//! Validation of CustomResourceDefinitions themselves, after upstream's
//! `ValidateCustomResourceDefinition`: the name, group, scope, names,
//! versions (exactly one storage version, schemas present), printer columns
//! and the structural schema rules, with upstream's field paths and
//! messages. Like kube-apiserver, a schema shared by every version is
//! reported under `spec.validation.openAPIV3Schema` (the internal form).

use serde_json::Value;

use crate::validation::field::{self, FieldError, Path};
use crate::validation::names::{is_dns1035_label, is_dns1123_label, is_dns1123_subdomain};

/// The field errors of a CRD (`old` on updates).
pub fn validate(crd: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let _ = old;
    let mut errs = Vec::new();
    let spec = &crd["spec"];
    let sp = Path::new("spec");
    let group = spec["group"].as_str().unwrap_or("");
    let plural = spec["names"]["plural"].as_str().unwrap_or("");
    let name = crd["metadata"]["name"].as_str().unwrap_or("");
    if !name.is_empty() && name != format!("{plural}.{group}") {
        errs.push(field::invalid(
            &Path::new("metadata").child("name"),
            name,
            r#"must be spec.names.plural+"."+spec.group"#,
        ));
    }
    if group.is_empty() {
        errs.push(field::required(&sp.child("group"), ""));
    } else if !is_dns1123_subdomain(group).is_empty() {
        errs.push(field::invalid(&sp.child("group"), group, is_dns1123_subdomain(group).join(",")));
    } else if !group.contains('.') {
        errs.push(field::invalid(&sp.child("group"), group, "should be a domain with at least one dot"));
    }
    match spec["scope"].as_str().unwrap_or("") {
        "Cluster" | "Namespaced" => {}
        "" => errs.push(field::required(&sp.child("scope"), "")),
        other => errs.push(field::not_supported(&sp.child("scope"), other, &["Cluster", "Namespaced"])),
    }
    let versions = spec["versions"].as_array().map(Vec::as_slice).unwrap_or_default();
    let vp = sp.child("versions");
    if versions.is_empty() {
        errs.push(field::required(&vp, "must have exactly one version marked as storage version"));
    }
    let storage = versions.iter().filter(|v| v["storage"].as_bool() == Some(true)).count();
    if !versions.is_empty() && storage != 1 {
        errs.push(field::invalid_omit(&vp, "must have exactly one version marked as storage version"));
    }
    let mut seen = std::collections::HashSet::new();
    if !versions.iter().all(|v| seen.insert(v["name"].as_str().unwrap_or(""))) {
        errs.push(field::invalid_omit(&vp, "must contain unique version names"));
    }
    let shared_schema =
        versions.len() > 1 && versions.windows(2).all(|w| w[0]["schema"] == w[1]["schema"]) || versions.len() == 1;
    for (i, v) in versions.iter().enumerate() {
        let p = vp.index(i);
        let vname = v["name"].as_str().unwrap_or("");
        let name_errs = is_dns1035_label(vname);
        if !name_errs.is_empty() {
            errs.push(field::invalid(&p.child("name"), vname, name_errs.join(",")));
        }
        let schema = &v["schema"]["openAPIV3Schema"];
        if !schema.is_object() {
            errs.push(field::required(&p.child("schema").child("openAPIV3Schema"), ""));
        } else if !shared_schema || i == 0 {
            let base = if shared_schema {
                sp.child("validation").child("openAPIV3Schema")
            } else {
                p.child("schema").child("openAPIV3Schema")
            };
            structural(schema, &base, Level::Root, &mut errs);
            if v["subresources"]["status"].is_object() {
                let nullable_root = schema["nullable"].as_bool() == Some(true);
                if nullable_root {
                    errs.push(field::forbidden(&base.child("nullable"), "nullable cannot be true at the root"));
                }
            }
        }
        if let Some(cols) = v["additionalPrinterColumns"].as_array() {
            for (j, c) in cols.iter().enumerate() {
                let cp = p.child("additionalPrinterColumns").index(j);
                if c["name"].as_str().is_none_or(str::is_empty) {
                    errs.push(field::required(&cp.child("name"), ""));
                }
                match c["type"].as_str().unwrap_or("") {
                    "boolean" | "date" | "integer" | "number" | "string" => {}
                    "" => errs
                        .push(field::required(&cp.child("type"), "must be one of boolean,date,integer,number,string")),
                    t => errs.push(field::invalid(
                        &cp.child("type"),
                        t,
                        "must be one of boolean,date,integer,number,string",
                    )),
                }
                if c["jsonPath"].as_str().is_none_or(str::is_empty) {
                    errs.push(field::required(&cp.child("JSONPath"), ""));
                }
            }
        }
    }
    names(&spec["names"], &sp.child("names"), &mut errs);
    errs
}

fn names(n: &Value, p: &Path, errs: &mut Vec<FieldError>) {
    for (k, required) in [("plural", true), ("singular", false)] {
        let v = n[k].as_str().unwrap_or("");
        if v.is_empty() {
            if required {
                errs.push(field::required(&p.child(k), ""));
            }
        } else if !is_dns1123_label(v).is_empty() {
            errs.push(field::invalid(&p.child(k), v, is_dns1123_label(v).join(",")));
        }
    }
    for k in ["kind", "listKind"] {
        let v = n[k].as_str().unwrap_or("");
        if v.is_empty() {
            if k == "kind" {
                errs.push(field::required(&p.child(k), ""));
            }
        } else if !is_dns1035_label(&v.to_lowercase()).is_empty() {
            errs.push(field::invalid(
                &p.child(k),
                v,
                format!(
                    "may have mixed case, but should otherwise match: {}",
                    is_dns1035_label(&v.to_lowercase()).join(",")
                ),
            ));
        }
    }
    if n["kind"].is_string() && n["kind"] == n["listKind"] {
        errs.push(field::invalid(&p.child("listKind"), n["listKind"].clone(), "kind and listKind may not be the same"));
    }
    for (i, s) in n["shortNames"].as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let s = s.as_str().unwrap_or("");
        if !is_dns1123_label(s).is_empty() {
            errs.push(field::invalid(&p.child("shortNames").index(i), s, is_dns1123_label(s).join(",")));
        }
    }
    for (i, s) in n["categories"].as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let s = s.as_str().unwrap_or("");
        if !is_dns1123_label(s).is_empty() {
            errs.push(field::invalid(&p.child("categories").index(i), s, is_dns1123_label(s).join(",")));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Root,
    Item,
    Field,
}

fn flag(s: &Value, k: &str) -> bool {
    s[k].as_bool() == Some(true)
}

/// The structural schema rules of one node and its children.
fn structural(s: &Value, p: &Path, level: Level, errs: &mut Vec<FieldError>) {
    let ty = s["type"].as_str().unwrap_or("");
    let int_or_string = flag(s, "x-kubernetes-int-or-string");
    let preserve = flag(s, "x-kubernetes-preserve-unknown-fields");
    let embedded = flag(s, "x-kubernetes-embedded-resource");
    if embedded {
        if ty.is_empty() {
            errs.push(field::required(&p.child("type"), "must be object if x-kubernetes-embedded-resource is true"));
        } else if ty != "object" {
            errs.push(field::invalid(&p.child("type"), ty, "must be object if x-kubernetes-embedded-resource is true"));
        }
    } else if ty.is_empty() && !int_or_string && !preserve {
        let detail = match level {
            Level::Root => "must not be empty at the root",
            Level::Item => "must not be empty for specified array items",
            Level::Field => "must not be empty for specified object fields",
        };
        errs.push(field::required(&p.child("type"), detail));
    }
    if level == Level::Root && !ty.is_empty() && ty != "object" {
        errs.push(field::invalid(&p.child("type"), ty, "must be object at the root"));
    }
    if int_or_string && preserve {
        errs.push(field::invalid(
            &p.child("x-kubernetes-preserve-unknown-fields"),
            true,
            "must be false if x-kubernetes-int-or-string is true",
        ));
    }
    if ty == "array" && !s["items"].is_object() {
        errs.push(field::required(&p.child("items"), "must be specified"));
    }
    if s["properties"].is_object() && s.get("additionalProperties").is_some_and(|a| a != &Value::Bool(false)) {
        errs.push(field::forbidden(
            &p.child("additionalProperties"),
            "additionalProperties and properties are mutual exclusive",
        ));
    }
    if level == Level::Root && s.get("additionalProperties").is_some() {
        errs.push(field::forbidden(&p.child("additionalProperties"), "must not be used at the root"));
    }
    if let Some(pattern) = s["pattern"].as_str()
        && let Err(e) = regex::Regex::new(pattern)
    {
        errs.push(field::invalid(
            &p.child("pattern"),
            pattern,
            format!("must be a valid regular expression, but isn't: {e}"),
        ));
    }
    if s["x-kubernetes-list-type"] == "map" && s["x-kubernetes-list-map-keys"].as_array().is_none_or(Vec::is_empty) {
        errs.push(field::required(
            &p.child("x-kubernetes-list-map-keys"),
            "must not be empty if x-kubernetes-list-type is map",
        ));
    }
    if let Some(props) = s["properties"].as_object() {
        for (k, v) in props {
            let kp = p.child("properties").key(k);
            if k == "metadata" && level == Level::Root {
                let only_names =
                    v["properties"].as_object().is_none_or(|m| m.keys().all(|k| k == "name" || k == "generateName"));
                let other = v
                    .as_object()
                    .is_some_and(|m| m.keys().any(|k| !matches!(k.as_str(), "type" | "properties" | "description")));
                if !only_names || other || v["type"].as_str().is_some_and(|t| t != "object") {
                    errs.push(field::forbidden(
                        &kp,
                        "must not specify anything other than name and generateName, but metadata is implicitly specified",
                    ));
                }
                continue;
            }
            structural(v, &kp, Level::Field, errs);
        }
    }
    if let Some(items) = s.get("items").filter(|i| i.is_object()) {
        structural(items, &p.child("items"), Level::Item, errs);
    }
    if let Some(ap) = s.get("additionalProperties").filter(|a| a.is_object()) {
        structural(ap, &p.child("additionalProperties"), Level::Field, errs);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn crd(schema: Value) -> Value {
        json!({
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
                "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": schema}}]}
        })
    }

    fn messages(v: &Value) -> Vec<String> {
        validate(v, None).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_good_crd_passes() {
        let ok = crd(
            json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {"x": {"type": "string"}}}}}),
        );
        assert!(messages(&ok).is_empty(), "{:?}", messages(&ok));
    }

    #[test]
    fn structural_rules_have_upstream_paths() {
        let bad = crd(json!({"type": "object", "properties": {
            "spec": {"properties": {"list": {"type": "array"}, "m": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}}},
            "metadata": {"type": "object", "properties": {"labels": {"type": "object"}}}
        }}));
        let got = messages(&bad);
        assert!(got.contains(&"spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields".to_string()), "{got:?}");
        assert!(got.contains(&"spec.validation.openAPIV3Schema.properties[spec].properties[list].items: Required value: must be specified".to_string()), "{got:?}");
        assert!(got.contains(&"spec.validation.openAPIV3Schema.properties[spec].properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive".to_string()), "{got:?}");
        assert!(got.contains(&"spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified".to_string()), "{got:?}");
    }

    #[test]
    fn names_versions_and_storage() {
        let mut c = crd(json!({"type": "object"}));
        c["metadata"]["name"] = json!("other.example.com");
        c["spec"]["versions"][0]["storage"] = json!(false);
        c["spec"]["group"] = json!("example");
        let got = messages(&c);
        assert!(
            got.contains(
                &r#"metadata.name: Invalid value: "other.example.com": must be spec.names.plural+"."+spec.group"#
                    .to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(
                &"spec.versions: Invalid value: must have exactly one version marked as storage version".to_string()
            ) || got.iter().any(|m| m.contains("must have exactly one version marked as storage version")),
            "{got:?}"
        );
        assert!(
            got.contains(
                &r#"spec.group: Invalid value: "example": should be a domain with at least one dot"#.to_string()
            ),
            "{got:?}"
        );
        let mut s = crd(json!({"type": "string"}));
        s["spec"]["versions"][0]["schema"] = json!(null);
        assert_eq!(messages(&s), vec!["spec.versions[0].schema.openAPIV3Schema: Required value"]);
    }
}
