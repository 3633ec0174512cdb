//! Label sets and label selectors as apimachinery prints them: `labels.FormatLabels`,
//! `metav1.LabelSelectorAsSelector(...).String()`, `metav1.FormatLabelSelector`, and the
//! generated `(*metav1.LabelSelector).String()`.

use serde_json::Value;

/// `labels.FormatLabels`: "k=v" pairs sorted as strings and joined with ",", or "<none>".
pub(super) fn format_labels(map: Option<&Value>) -> String {
    let mut pairs: Vec<String> = map
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or(""))).collect())
        .unwrap_or_default();
    pairs.sort();
    if pairs.is_empty() { "<none>".to_string() } else { pairs.join(",") }
}

/// A label selector that does not convert to a `labels.Selector`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct InvalidSelector;

/// `metav1.LabelSelectorAsSelector(selector).String()`: "" for a nil or empty selector.
pub(super) fn selector_string(selector: Option<&Value>) -> Result<String, InvalidSelector> {
    let Some(selector) = selector.filter(|s| !s.is_null()) else {
        return Ok(String::new());
    };
    let mut requirements: Vec<(String, String)> = Vec::new();
    if let Some(match_labels) = selector.get("matchLabels").and_then(Value::as_object) {
        for (key, value) in match_labels {
            let value = value.as_str().unwrap_or("");
            validate_key(key)?;
            validate_value(value)?;
            requirements.push((key.clone(), format!("{key}={value}")));
        }
    }
    let expressions = selector.get("matchExpressions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for expression in expressions {
        let key = expression.get("key").and_then(Value::as_str).unwrap_or("");
        let operator = expression.get("operator").and_then(Value::as_str).unwrap_or("");
        let mut values: Vec<&str> = expression
            .get("values")
            .and_then(Value::as_array)
            .map(|vs| vs.iter().map(|v| v.as_str().unwrap_or("")).collect())
            .unwrap_or_default();
        validate_key(key)?;
        for value in &values {
            validate_value(value)?;
        }
        let text = match operator {
            "In" | "NotIn" => {
                if values.is_empty() {
                    return Err(InvalidSelector);
                }
                values.sort_unstable();
                let op = if operator == "In" { "in" } else { "notin" };
                format!("{key} {op} ({})", values.join(","))
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    return Err(InvalidSelector);
                }
                if operator == "Exists" { key.to_string() } else { format!("!{key}") }
            }
            _ => return Err(InvalidSelector),
        };
        requirements.push((key.to_string(), text));
    }
    // Requirements are sorted by key; matchLabels entries precede expressions on ties.
    requirements.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(requirements.into_iter().map(|(_, text)| text).collect::<Vec<_>>().join(","))
}

/// `metav1.FormatLabelSelector`: the selector string, "<none>" when empty, "<error>" when invalid.
pub(super) fn format_label_selector(selector: Option<&Value>) -> String {
    match selector_string(selector) {
        Ok(s) if s.is_empty() => "<none>".to_string(),
        Ok(s) => s,
        Err(InvalidSelector) => "<error>".to_string(),
    }
}

/// The generated `(*metav1.LabelSelector).String()` (Go struct syntax).
pub(super) fn label_selector_go_string(selector: &Value) -> String {
    let mut labels: Vec<(&str, &str)> = selector
        .get("matchLabels")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap_or(""))).collect())
        .unwrap_or_default();
    labels.sort();
    let mut out = String::from("&LabelSelector{MatchLabels:map[string]string{");
    for (k, v) in labels {
        out.push_str(&format!("{k}: {v},"));
    }
    out.push_str("},MatchExpressions:[]LabelSelectorRequirement{");
    let expressions = selector.get("matchExpressions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for expression in expressions {
        let values: Vec<&str> = expression
            .get("values")
            .and_then(Value::as_array)
            .map(|vs| vs.iter().map(|v| v.as_str().unwrap_or("")).collect())
            .unwrap_or_default();
        out.push_str(&format!(
            "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
            expression.get("key").and_then(Value::as_str).unwrap_or(""),
            expression.get("operator").and_then(Value::as_str).unwrap_or(""),
            values.join(" ")
        ));
    }
    out.push_str("},}");
    out
}

/// A label key must be a qualified name: an optional DNS subdomain prefix and "/", then a name.
fn validate_key(key: &str) -> Result<(), InvalidSelector> {
    let name = match key.split_once('/') {
        Some((prefix, name)) => {
            if prefix.is_empty() || !is_dns1123_subdomain(prefix) || name.contains('/') {
                return Err(InvalidSelector);
            }
            name
        }
        None => key,
    };
    if name.is_empty() || name.len() > 63 || !is_qualified_name_part(name) {
        return Err(InvalidSelector);
    }
    Ok(())
}

/// A label value is empty or a qualified-name part of at most 63 characters.
fn validate_value(value: &str) -> Result<(), InvalidSelector> {
    if value.is_empty() || (value.len() <= 63 && is_qualified_name_part(value)) { Ok(()) } else { Err(InvalidSelector) }
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    let edge_ok = |c: &u8| c.is_ascii_alphanumeric();
    b.first().is_some_and(edge_ok)
        && b.last().is_some_and(edge_ok)
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A lowercase RFC 1123 subdomain of at most 253 characters.
fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            let edge_ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            b.first().is_some_and(edge_ok)
                && b.last().is_some_and(edge_ok)
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_sort_as_pairs() {
        assert_eq!(format_labels(Some(&json!({"a": "1", "a.b": "2"}))), "a.b=2,a=1");
        assert_eq!(format_labels(None), "<none>");
        assert_eq!(format_labels(Some(&json!({}))), "<none>");
    }

    #[test]
    fn selectors() {
        let selector = json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["b", "a"]},
                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "zone", "operator": "Exists"}
            ]
        });
        assert_eq!(format_label_selector(Some(&selector)), "app=web,!canary,env notin (prod),tier in (a,b),zone");
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
        assert_eq!(selector_string(None), Ok(String::new()));
        let bad = json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]});
        assert_eq!(format_label_selector(Some(&bad)), "<error>");
        let bad_key = json!({"matchLabels": {"-bad": "x"}});
        assert_eq!(selector_string(Some(&bad_key)), Err(InvalidSelector));
    }

    #[test]
    fn go_struct_string() {
        let selector = json!({
            "matchLabels": {"b": "2", "a": "1"},
            "matchExpressions": [{"key": "k", "operator": "In", "values": ["x", "y"]}]
        });
        assert_eq!(
            label_selector_go_string(&selector),
            "&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}"
        );
    }
}
