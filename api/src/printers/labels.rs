//! Label sets and label selectors as apimachinery prints them in table cells:
//! `labels.FormatLabels`, `metav1.LabelSelectorAsSelector(...).String()` and
//! `metav1.FormatLabelSelector` come from [`crate::selectors`]; here are what
//! an absent field prints as and the generated `(*metav1.LabelSelector).String()`.

use serde_json::Value;

use crate::selectors::{self, LabelSelector, SelectorError};

/// `labels.FormatLabels` of the map at a field: "k=v" pairs sorted as strings and joined
/// with ",", or "<none>".
pub(super) fn format_labels(map: Option<&Value>) -> String {
    match map.and_then(Value::as_object) {
        Some(map) => selectors::format_labels(map),
        None => "<none>".to_string(),
    }
}

/// `metav1.LabelSelectorAsSelector(selector).String()`: "" for a nil or empty selector.
pub(super) fn selector_string(selector: Option<&Value>) -> Result<String, SelectorError> {
    LabelSelector::from_label_selector_json(selector.unwrap_or(&Value::Null)).map(|s| s.to_string())
}

/// `metav1.FormatLabelSelector`: the selector string, "<none>" when empty, "<error>" when invalid.
pub(super) fn format_label_selector(selector: Option<&Value>) -> String {
    selectors::format_label_selector(selector.unwrap_or(&Value::Null))
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
        assert!(selector_string(Some(&bad_key)).is_err());
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
