//! Label and field selectors, parsed and matched as kube-apiserver does for
//! `?labelSelector=` and `?fieldSelector=` on list and watch requests.
//!
//! Label selectors use the set-based grammar (`a=b`, `a==b`, `a!=b`,
//! `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`) and validate keys as
//! qualified names and values as label values. Field selectors are the simpler
//! comma-separated `field=value`, `field==value`, `field!=value` terms with
//! backslash escaping in values. Every error text is kube-apiserver's word for
//! word, because clients show the 400 Status message as it is.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

/// Why a selector could not be parsed or built; the text is kube-apiserver's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorError {
    message: String,
}

impl SelectorError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        SelectorError { message: message.into() }
    }

    /// The message kube-apiserver puts in the 400 BadRequest Status.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SelectorError {}

// ---------------------------------------------------------------------------
// Label selectors
// ---------------------------------------------------------------------------

/// The operator of one label requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelOperator {
    /// `key in (v1,v2)`: the label exists and has one of the values.
    In,
    /// `key notin (v1,v2)`: the label is absent or has none of the values.
    NotIn,
    /// `key=v`.
    Equals,
    /// `key==v`, the same as `key=v` but printed back as written.
    DoubleEquals,
    /// `key!=v`: the label is absent or differs.
    NotEquals,
    /// `key`: the label exists.
    Exists,
    /// `!key`: the label does not exist.
    DoesNotExist,
    /// `key>n`: the label is an integer greater than n.
    GreaterThan,
    /// `key<n`: the label is an integer less than n.
    LessThan,
}

impl LabelOperator {
    /// The operator's name as upstream spells it (`in`, `notin`, `=`, `==`, `!=`, `exists`, `!`, `gt`, `lt`).
    pub fn as_str(self) -> &'static str {
        match self {
            LabelOperator::In => "in",
            LabelOperator::NotIn => "notin",
            LabelOperator::Equals => "=",
            LabelOperator::DoubleEquals => "==",
            LabelOperator::NotEquals => "!=",
            LabelOperator::Exists => "exists",
            LabelOperator::DoesNotExist => "!",
            LabelOperator::GreaterThan => "gt",
            LabelOperator::LessThan => "lt",
        }
    }
}

/// The binary operators in the order upstream lists them in parse errors.
const BINARY_OPERATORS: &str = "in, notin, =, ==, !=, gt, lt";

/// One `key op values` term of a label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    key: String,
    operator: LabelOperator,
    values: Vec<String>,
}

impl Requirement {
    /// Builds and validates a requirement like upstream's `labels.NewRequirement`.
    pub fn new(key: &str, operator: LabelOperator, values: Vec<String>) -> Result<Requirement, SelectorError> {
        new_requirement(key, operator, values, "[]").map_err(SelectorError::new)
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> LabelOperator {
        self.operator
    }

    /// The values, in the order given (sorted and deduplicated when parsed).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    fn has_value(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }

    /// Whether labels, seen through `lookup`, satisfy this requirement.
    pub fn matches_with<'a>(&self, lookup: &dyn Fn(&str) -> Option<&'a str>) -> bool {
        match self.operator {
            LabelOperator::In | LabelOperator::Equals | LabelOperator::DoubleEquals => {
                lookup(&self.key).is_some_and(|v| self.has_value(v))
            }
            LabelOperator::NotIn | LabelOperator::NotEquals => lookup(&self.key).is_none_or(|v| !self.has_value(v)),
            LabelOperator::Exists => lookup(&self.key).is_some(),
            LabelOperator::DoesNotExist => lookup(&self.key).is_none(),
            LabelOperator::GreaterThan | LabelOperator::LessThan => {
                let Some(Ok(have)) = lookup(&self.key).map(str::parse::<i64>) else {
                    return false;
                };
                let [want] = self.values.as_slice() else {
                    return false;
                };
                let Ok(want) = want.parse::<i64>() else {
                    return false;
                };
                if self.operator == LabelOperator::GreaterThan { have > want } else { have < want }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operator == LabelOperator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let (op, parens) = match self.operator {
            LabelOperator::Exists | LabelOperator::DoesNotExist => return Ok(()),
            LabelOperator::Equals => ("=", false),
            LabelOperator::DoubleEquals => ("==", false),
            LabelOperator::NotEquals => ("!=", false),
            LabelOperator::In => (" in ", true),
            LabelOperator::NotIn => (" notin ", true),
            LabelOperator::GreaterThan => (">", false),
            LabelOperator::LessThan => ("<", false),
        };
        f.write_str(op)?;
        if parens {
            f.write_str("(")?;
        }
        if let [only] = self.values.as_slice() {
            f.write_str(only)?;
        } else {
            // Like upstream, values print sorted without touching the requirement.
            let mut sorted: Vec<&str> = self.values.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            f.write_str(&sorted.join(","))?;
        }
        if parens {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A parsed label selector: the AND of its requirements, sorted by key.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
    /// Upstream's `labels.Nothing()`: what a nil metav1.LabelSelector converts to.
    nothing: bool,
}

impl LabelSelector {
    /// The selector that matches every object (an empty `?labelSelector=`).
    pub fn everything() -> LabelSelector {
        LabelSelector::default()
    }

    /// The selector that matches no object (upstream's `labels.Nothing()`).
    pub fn nothing() -> LabelSelector {
        LabelSelector { requirements: Vec::new(), nothing: true }
    }

    /// Parses a `?labelSelector=` string like upstream's `labels.Parse`.
    pub fn parse(s: &str) -> Result<LabelSelector, SelectorError> {
        let mut parser = Parser { items: scan(s), position: 0 };
        let requirements = parser.parse().map_err(SelectorError::new)?;
        Ok(LabelSelector::from_requirements(requirements))
    }

    /// A selector from requirements, sorted by key as upstream's `Selector.Add` does.
    pub fn from_requirements(mut requirements: Vec<Requirement>) -> LabelSelector {
        // Upstream sorts with sort.Sort, which is stable for the short lists selectors are.
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        LabelSelector { requirements, nothing: false }
    }

    /// From a metav1.LabelSelector JSON object ({matchLabels, matchExpressions}), like
    /// upstream's `LabelSelectorAsSelector`: null selects nothing, an empty object everything.
    pub fn from_label_selector_json(v: &Value) -> Result<LabelSelector, SelectorError> {
        let object = match v {
            Value::Null => return Ok(LabelSelector::nothing()),
            Value::Object(object) => object,
            _ => {
                return Err(SelectorError::new("invalid label selector: expected an object"));
            }
        };
        let match_labels = match object.get("matchLabels") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => {
                return Err(SelectorError::new("invalid label selector: matchLabels must be an object"));
            }
        };
        let match_expressions = match object.get("matchExpressions") {
            None | Some(Value::Null) => None,
            Some(Value::Array(a)) => Some(a),
            Some(_) => {
                return Err(SelectorError::new("invalid label selector: matchExpressions must be an array"));
            }
        };
        let label_count = match_labels.map_or(0, Map::len);
        let expression_count = match_expressions.map_or(0, Vec::len);
        if label_count + expression_count == 0 {
            return Ok(LabelSelector::everything());
        }

        let mut requirements = Vec::with_capacity(label_count + expression_count);
        // Upstream walks matchLabels in Go's random map order; sorted keys make the
        // first reported error deterministic.
        let mut labels: Vec<(&String, &Value)> = match_labels.into_iter().flatten().collect();
        labels.sort_by(|a, b| a.0.cmp(b.0));
        for (key, value) in labels {
            let value = json_string(value, "matchLabels values must be strings")?;
            requirements
                .push(new_requirement(key, LabelOperator::Equals, vec![value], "null").map_err(SelectorError::new)?);
        }
        for expression in match_expressions.into_iter().flatten() {
            let Value::Object(expression) = expression else {
                return Err(SelectorError::new("invalid label selector: matchExpressions items must be objects"));
            };
            let field = |name: &str| -> Result<String, SelectorError> {
                expression
                    .get(name)
                    .map_or(Ok(String::new()), |v| json_string(v, "matchExpressions key and operator must be strings"))
            };
            let key = field("key")?;
            let operator = field("operator")?;
            let operator = match operator.as_str() {
                "In" => LabelOperator::In,
                "NotIn" => LabelOperator::NotIn,
                "Exists" => LabelOperator::Exists,
                "DoesNotExist" => LabelOperator::DoesNotExist,
                other => {
                    return Err(SelectorError::new(format!(
                        "{} is not a valid label selector operator",
                        go_quote(other)
                    )));
                }
            };
            let values = match expression.get("values") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(values)) => values
                    .iter()
                    .map(|v| json_string(v, "matchExpressions values must be strings"))
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => {
                    return Err(SelectorError::new("invalid label selector: matchExpressions values must be an array"));
                }
            };
            // Upstream copies the values into a nil slice, so an empty list reports as null.
            requirements.push(new_requirement(&key, operator, values, "null").map_err(SelectorError::new)?);
        }
        Ok(LabelSelector::from_requirements(requirements))
    }

    /// A selector requiring every label of `set` (upstream's `SelectorFromSet`, used for
    /// Service and ReplicationController selectors); it is not validated.
    pub fn from_set(set: &Map<String, Value>) -> LabelSelector {
        let requirements = set
            .iter()
            .map(|(key, value)| Requirement {
                key: key.clone(),
                operator: LabelOperator::Equals,
                values: vec![value.as_str().unwrap_or_default().to_string()],
            })
            .collect();
        LabelSelector::from_requirements(requirements)
    }

    /// Whether an object's `metadata.labels` satisfy the selector. A label whose value
    /// is not a string counts as absent.
    pub fn matches(&self, labels: &Map<String, Value>) -> bool {
        self.matches_with(&|key| labels.get(key).and_then(Value::as_str))
    }

    /// Whether an object (apiVersion, kind, metadata, ...) satisfies the selector by its
    /// `metadata.labels`; an object without labels has the empty label set.
    pub fn matches_object(&self, object: &Value) -> bool {
        let labels = object.pointer("/metadata/labels").and_then(Value::as_object);
        self.matches_with(&|key| labels.and_then(|l| l.get(key)).and_then(Value::as_str))
    }

    /// Whether a plain label set satisfies the selector.
    pub fn matches_set(&self, labels: &BTreeMap<String, String>) -> bool {
        self.matches_with(&|key| labels.get(key).map(String::as_str))
    }

    /// Whether labels, seen through `lookup`, satisfy the selector.
    pub fn matches_with<'a>(&self, lookup: &dyn Fn(&str) -> Option<&'a str>) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches_with(lookup))
    }

    /// Whether the selector restricts nothing (it matches every object).
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    /// Whether this is the select-nothing selector of a null metav1.LabelSelector.
    pub fn matches_nothing(&self) -> bool {
        self.nothing
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// If the selector requires `label` to have one specific value, that value
    /// (upstream's `RequiresExactMatch`: the first requirement on the key decides).
    pub fn requires_exact_match(&self, label: &str) -> Option<&str> {
        let requirement = self.requirements.iter().find(|r| r.key == label)?;
        match (requirement.operator, requirement.values.as_slice()) {
            (LabelOperator::Equals | LabelOperator::DoubleEquals | LabelOperator::In, [only]) => Some(only),
            _ => None,
        }
    }
}

impl fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, requirement) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{requirement}")?;
        }
        Ok(())
    }
}

/// metav1.FormatLabelSelector: a metav1.LabelSelector as kubectl prints it
/// (`app=nginx,tier in (a,b)`, `<none>` when it selects everything or nothing, `<error>`).
pub fn format_label_selector(v: &Value) -> String {
    match LabelSelector::from_label_selector_json(v) {
        Err(_) => "<error>".to_string(),
        Ok(selector) => {
            let s = selector.to_string();
            if s.is_empty() { "<none>".to_string() } else { s }
        }
    }
}

/// labels.FormatLabels: a label map as kubectl prints it (`a=b,c=d` sorted, or `<none>`).
pub fn format_labels(labels: &Map<String, Value>) -> String {
    let mut pairs: Vec<String> =
        labels.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect();
    pairs.sort_unstable();
    if pairs.is_empty() { "<none>".to_string() } else { pairs.join(",") }
}

fn json_string(v: &Value, what: &str) -> Result<String, SelectorError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        // Go decodes a JSON null into a string as "".
        Value::Null => Ok(String::new()),
        _ => Err(SelectorError::new(format!("invalid label selector: {what}"))),
    }
}

/// Upstream's `NewRequirement` without a field path. `empty_values_json` is how an
/// empty value list prints in errors: `[]` for an empty slice, `null` for a nil one.
fn new_requirement(
    key: &str,
    operator: LabelOperator,
    values: Vec<String>,
    empty_values_json: &str,
) -> Result<Requirement, String> {
    let mut errors = Vec::new();
    if let Some(e) = validate_label_key(key, "key") {
        errors.push(e);
    }
    let values_json = || {
        if values.is_empty() { empty_values_json.to_string() } else { go_json_strings(&values) }
    };
    match operator {
        LabelOperator::In | LabelOperator::NotIn => {
            if values.is_empty() {
                errors.push(invalid(
                    "values",
                    &values_json(),
                    "for 'in', 'notin' operators, values set can't be empty",
                ));
            }
        }
        LabelOperator::Equals | LabelOperator::DoubleEquals | LabelOperator::NotEquals => {
            if values.len() != 1 {
                errors.push(invalid("values", &values_json(), "exact-match compatibility requires one single value"));
            }
        }
        LabelOperator::Exists | LabelOperator::DoesNotExist => {
            if !values.is_empty() {
                errors.push(invalid(
                    "values",
                    &values_json(),
                    "values set must be empty for exists and does not exist",
                ));
            }
        }
        LabelOperator::GreaterThan | LabelOperator::LessThan => {
            if values.len() != 1 {
                errors.push(invalid(
                    "values",
                    &values_json(),
                    "for 'Gt', 'Lt' operators, exactly one value is required",
                ));
            }
            for (i, value) in values.iter().enumerate() {
                if value.parse::<i64>().is_err() {
                    errors.push(invalid(
                        &format!("values[{i}]"),
                        &go_quote(value),
                        "for 'Gt', 'Lt' operators, the value must be an integer",
                    ));
                }
            }
        }
    }
    for (i, value) in values.iter().enumerate() {
        let problems = label_value_errors(value);
        if !problems.is_empty() {
            errors.push(invalid(&format!("values[{i}][{key}]"), &go_quote(value), &problems.join("; ")));
        }
    }
    if errors.is_empty() { Ok(Requirement { key: key.to_string(), operator, values }) } else { Err(aggregate(errors)) }
}

/// A field.Invalid error's text: `path: Invalid value: <value>: detail`.
fn invalid(path: &str, bad_value: &str, detail: &str) -> String {
    format!("{path}: Invalid value: {bad_value}: {detail}")
}

/// An aggregated error's text: the one message, or `[a, b]` without repeats.
fn aggregate(errors: Vec<String>) -> String {
    let mut seen = BTreeSet::new();
    let unique: Vec<String> = errors.into_iter().filter(|e| seen.insert(e.clone())).collect();
    if let [only] = unique.as_slice() { only.clone() } else { format!("[{}]", unique.join(", ")) }
}

/// A label key error as the parser reports it (`path` is `<nil>` there: no field path).
fn validate_label_key(key: &str, path: &str) -> Option<String> {
    let problems = label_key_errors(key);
    if problems.is_empty() { None } else { Some(invalid(path, &go_quote(key), &problems.join("; "))) }
}

// --- Qualified-name and label-value validation, with upstream's messages. ---

const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_ERR_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_MAX_LENGTH: usize = 63;
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX_LENGTH: usize = 63;
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;

fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} bytes")
}

fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{re}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(example);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(re);
    out.push_str("')");
    out
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_label_name(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` joined by dots.
fn is_dns1123_subdomain(s: &str) -> bool {
    let label_char = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    s.split('.').all(|label| {
        let bytes = label.as_bytes();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => {
                label_char(first) && label_char(last) && bytes.iter().all(|b| label_char(b) || *b == b'-')
            }
            _ => false,
        }
    })
}

/// Upstream's `content.IsLabelKey` (a qualified name).
fn label_key_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_string());
            } else {
                errors.extend(dns1123_subdomain_errors(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            *name
        }
        _ => {
            return vec![format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            )];
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_string());
    } else if name.len() > LABEL_KEY_MAX_LENGTH {
        errors.push(format!("name part {}", max_len_error(LABEL_KEY_MAX_LENGTH)));
    }
    if !is_label_name(name) {
        errors.push(format!(
            "name part {}",
            regex_error(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errors
}

fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errors.push(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !is_dns1123_subdomain(value) {
        errors.push(regex_error(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, &["example.com"]));
    }
    errors
}

/// Upstream's `content.IsLabelValue`.
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errors.push(max_len_error(LABEL_VALUE_MAX_LENGTH));
    }
    if !value.is_empty() && !is_label_name(value) {
        errors.push(regex_error(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, &["MyValue", "my_value", "12345"]));
    }
    errors
}

// --- The label selector lexer and parser, mirroring upstream's state machine so
// that odd inputs fail (or pass) with the same message. ---

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn literal_token(s: &[u8]) -> Option<Token> {
    Some(match s {
        b")" => Token::ClosedPar,
        b"," => Token::Comma,
        b"!" => Token::DoesNotExist,
        b"==" => Token::DoubleEquals,
        b"=" => Token::Equals,
        b">" => Token::GreaterThan,
        b"in" => Token::In,
        b"<" => Token::LessThan,
        b"!=" => Token::NotEquals,
        b"notin" => Token::NotIn,
        b"(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_whitespace(ch: u8) -> bool {
    matches!(ch, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special_symbol(ch: u8) -> bool {
    matches!(ch, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn lossy(bytes: &[u8]) -> String {
    // Tokens split only at ASCII bytes, so they are always whole UTF-8.
    String::from_utf8_lossy(bytes).into_owned()
}

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    /// The next byte, or 0 at the end; like upstream, a NUL byte also reads as 0.
    fn read(&mut self) -> u8 {
        match self.s.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => 0,
        }
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    fn scan_id_or_keyword(&mut self) -> (Token, String) {
        let mut buffer = Vec::new();
        loop {
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if is_special_symbol(ch) || is_whitespace(ch) {
                self.unread();
                break;
            }
            buffer.push(ch);
        }
        match literal_token(&buffer) {
            Some(token) => (token, lossy(&buffer)),
            None => (Token::Identifier, lossy(&buffer)),
        }
    }

    fn scan_special_symbol(&mut self) -> (Token, String) {
        let mut buffer = Vec::new();
        let mut last: Option<(Token, usize)> = None;
        loop {
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if !is_special_symbol(ch) {
                self.unread();
                break;
            }
            buffer.push(ch);
            if let Some(token) = literal_token(&buffer) {
                last = Some((token, buffer.len()));
            } else if last.is_some() {
                self.unread();
                break;
            }
        }
        match last {
            Some((token, len)) => (token, lossy(&buffer[..len])),
            None => (Token::Error, format!("error expected: keyword found '{}'", lossy(&buffer))),
        }
    }

    fn lex(&mut self) -> (Token, String) {
        let mut ch = self.read();
        while is_whitespace(ch) {
            ch = self.read();
        }
        if ch == 0 {
            return (Token::EndOfString, String::new());
        }
        self.unread();
        if is_special_symbol(ch) { self.scan_special_symbol() } else { self.scan_id_or_keyword() }
    }
}

fn scan(s: &str) -> Vec<(Token, String)> {
    let mut lexer = Lexer { s: s.as_bytes(), pos: 0 };
    let mut items = Vec::new();
    loop {
        let item = lexer.lex();
        let end = item.0 == Token::EndOfString;
        items.push(item);
        if end {
            return items;
        }
    }
}

/// Whether `in` and `notin` are operators (after a key) or plain identifiers (values).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser {
    items: Vec<(Token, String)>,
    position: usize,
}

impl Parser {
    fn lookahead(&self, context: Context) -> (Token, String) {
        let (token, literal) = self.items.get(self.position).cloned().unwrap_or((Token::EndOfString, String::new()));
        match (context, token) {
            (Context::Values, Token::In | Token::NotIn) => (Token::Identifier, literal),
            _ => (token, literal),
        }
    }

    fn consume(&mut self, context: Context) -> (Token, String) {
        let item = self.lookahead(context);
        self.position += 1;
        item
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut requirements = Vec::new();
        loop {
            let (token, literal) = self.lookahead(Context::Values);
            match token {
                Token::Identifier | Token::DoesNotExist => {
                    let requirement =
                        self.parse_requirement().map_err(|e| format!("unable to parse requirement: {e}"))?;
                    requirements.push(requirement);
                    let (token, literal) = self.consume(Context::Values);
                    match token {
                        Token::EndOfString => return Ok(requirements),
                        Token::Comma => {
                            let (next, next_literal) = self.lookahead(Context::Values);
                            if next != Token::Identifier && next != Token::DoesNotExist {
                                return Err(format!("found '{next_literal}', expected: identifier after ','"));
                            }
                        }
                        _ => {
                            return Err(format!("found '{literal}', expected: ',' or 'end of string'"));
                        }
                    }
                }
                Token::EndOfString => return Ok(requirements),
                _ => {
                    return Err(format!("found '{literal}', expected: !, identifier, or 'end of string'"));
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let (key, operator) = self.parse_key_and_infer_operator()?;
        if let Some(operator @ (LabelOperator::Exists | LabelOperator::DoesNotExist)) = operator {
            return new_requirement(&key, operator, Vec::new(), "[]");
        }
        let operator = self.parse_operator()?;
        let values = match operator {
            LabelOperator::In | LabelOperator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        new_requirement(&key, operator, values.into_iter().collect(), "[]")
    }

    /// The key, and `Exists`/`DoesNotExist` when no binary operator follows.
    fn parse_key_and_infer_operator(&mut self) -> Result<(String, Option<LabelOperator>), String> {
        let mut operator = None;
        let (mut token, mut literal) = self.consume(Context::Values);
        if token == Token::DoesNotExist {
            operator = Some(LabelOperator::DoesNotExist);
            (token, literal) = self.consume(Context::Values);
        }
        if token != Token::Identifier {
            return Err(format!("found '{literal}', expected: identifier"));
        }
        // The parser validates keys without a field path, which Go prints as <nil>.
        if let Some(e) = validate_label_key(&literal, "<nil>") {
            return Err(e);
        }
        let (next, _) = self.lookahead(Context::Values);
        if (next == Token::EndOfString || next == Token::Comma) && operator != Some(LabelOperator::DoesNotExist) {
            operator = Some(LabelOperator::Exists);
        }
        Ok((literal, operator))
    }

    fn parse_operator(&mut self) -> Result<LabelOperator, String> {
        let (token, literal) = self.consume(Context::KeyAndOperator);
        Ok(match token {
            Token::In => LabelOperator::In,
            Token::Equals => LabelOperator::Equals,
            Token::DoubleEquals => LabelOperator::DoubleEquals,
            Token::GreaterThan => LabelOperator::GreaterThan,
            Token::LessThan => LabelOperator::LessThan,
            Token::NotIn => LabelOperator::NotIn,
            Token::NotEquals => LabelOperator::NotEquals,
            _ => return Err(format!("found '{literal}', expected: {BINARY_OPERATORS}")),
        })
    }

    /// `(v1,v2,...)`: a set, so sorted and without repeats.
    fn parse_values(&mut self) -> Result<BTreeSet<String>, String> {
        let (token, literal) = self.consume(Context::Values);
        if token != Token::OpenPar {
            return Err(format!("found '{literal}' expected: '('"));
        }
        let (token, literal) = self.lookahead(Context::Values);
        match token {
            Token::Identifier | Token::Comma => {
                let values = self.parse_identifiers_list()?;
                let (token, _) = self.consume(Context::Values);
                if token != Token::ClosedPar {
                    return Err(format!("found '{literal}', expected: ')'"));
                }
                Ok(values)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(BTreeSet::from([String::new()]))
            }
            _ => Err(format!("found '{literal}', expected: ',', ')' or identifier")),
        }
    }

    /// A possibly empty list of possibly empty identifiers separated by commas.
    fn parse_identifiers_list(&mut self) -> Result<BTreeSet<String>, String> {
        let mut values = BTreeSet::new();
        loop {
            let (token, literal) = self.consume(Context::Values);
            match token {
                Token::Identifier => {
                    values.insert(literal);
                    let (next, next_literal) = self.lookahead(Context::Values);
                    match next {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(values),
                        _ => {
                            return Err(format!("found '{next_literal}', expected: ',' or ')'"));
                        }
                    }
                }
                Token::Comma => {
                    if values.is_empty() {
                        values.insert(String::new());
                    }
                    let (next, _) = self.lookahead(Context::Values);
                    if next == Token::ClosedPar {
                        values.insert(String::new());
                        return Ok(values);
                    }
                    if next == Token::Comma {
                        values.insert(String::new());
                    }
                }
                _ => return Err(format!("found '{literal}', expected: ',', or identifier")),
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<BTreeSet<String>, String> {
        let (token, _) = self.lookahead(Context::Values);
        if token == Token::EndOfString || token == Token::Comma {
            return Ok(BTreeSet::from([String::new()]));
        }
        let (token, literal) = self.consume(Context::Values);
        if token == Token::Identifier {
            Ok(BTreeSet::from([literal]))
        } else {
            Err(format!("found '{literal}', expected: identifier"))
        }
    }
}

// ---------------------------------------------------------------------------
// Field selectors
// ---------------------------------------------------------------------------

/// The operator of one field requirement (`=` and `==` are the same).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldOperator {
    /// `field=value` or `field==value`.
    Equals,
    /// `field!=value`.
    NotEquals,
}

/// One `field op value` term of a field selector, with the value unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRequirement {
    /// The field path, e.g. `metadata.name`; not validated here.
    pub field: String,
    /// The operator.
    pub operator: FieldOperator,
    /// The value, unescaped.
    pub value: String,
}

impl fmt::Display for FieldRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.operator {
            FieldOperator::Equals => "=",
            FieldOperator::NotEquals => "!=",
        };
        write!(f, "{}{op}{}", self.field, escape_field_selector_value(&self.value))
    }
}

/// A parsed field selector: the AND of its terms, in upstream's (sorted) order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FieldSelector {
    requirements: Vec<FieldRequirement>,
}

impl FieldSelector {
    /// The selector that matches every object.
    pub fn everything() -> FieldSelector {
        FieldSelector::default()
    }

    /// Parses a `?fieldSelector=` string like upstream's `fields.ParseSelector`.
    pub fn parse(s: &str) -> Result<FieldSelector, SelectorError> {
        let mut terms = split_terms(s);
        terms.sort_unstable();
        let mut requirements = Vec::with_capacity(terms.len());
        for term in terms {
            if term.is_empty() {
                continue;
            }
            let Some((field, operator, raw_value)) = split_term(term) else {
                return Err(SelectorError::new(format!("invalid selector: '{s}'; can't understand '{term}'")));
            };
            let value = unescape_field_selector_value(raw_value)?;
            // Like upstream, a term whose field and value are both empty selects everything.
            if field.is_empty() && value.is_empty() {
                continue;
            }
            requirements.push(FieldRequirement { field: field.to_string(), operator, value });
        }
        Ok(FieldSelector { requirements })
    }

    /// The field names used, in order, so the caller can reject unsupported ones.
    pub fn fields(&self) -> Vec<&str> {
        self.requirements.iter().map(|r| r.field.as_str()).collect()
    }

    /// The terms, in upstream's order.
    pub fn requirements(&self) -> &[FieldRequirement] {
        &self.requirements
    }

    /// Whether an object's field values satisfy the selector; a missing field reads as "".
    pub fn matches(&self, fields: &BTreeMap<String, String>) -> bool {
        self.matches_with(&|field| fields.get(field).map(String::as_str))
    }

    /// Whether field values, seen through `lookup`, satisfy the selector; a
    /// missing field reads as "".
    pub fn matches_with<'a>(&self, lookup: &dyn Fn(&str) -> Option<&'a str>) -> bool {
        self.requirements.iter().all(|r| {
            let have = lookup(&r.field).unwrap_or("");
            match r.operator {
                FieldOperator::Equals => have == r.value,
                FieldOperator::NotEquals => have != r.value,
            }
        })
    }

    /// Whether the selector restricts nothing.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// If the selector requires `field` to equal one value (e.g. `metadata.name=x`), that value.
    pub fn exact(&self, field: &str) -> Option<&str> {
        self.requirements
            .iter()
            .find(|r| r.operator == FieldOperator::Equals && r.field == field)
            .map(|r| r.value.as_str())
    }
}

impl FieldSelector {
    /// Rewrites every term through `convert(field, value)`, like upstream's `Transform`
    /// with a field-label conversion: the first error wins, and a term converted to an
    /// empty field and value is dropped.
    pub fn transform(
        &self,
        convert: impl Fn(&str, &str) -> Result<(String, String), SelectorError>,
    ) -> Result<FieldSelector, SelectorError> {
        let mut requirements = Vec::with_capacity(self.requirements.len());
        for requirement in &self.requirements {
            let (field, value) = convert(&requirement.field, &requirement.value)?;
            if field.is_empty() && value.is_empty() {
                continue;
            }
            requirements.push(FieldRequirement { field, operator: requirement.operator, value });
        }
        Ok(FieldSelector { requirements })
    }
}

/// The field-label conversion of a kind without its own: only `metadata.name` and
/// `metadata.namespace` are selectable (upstream's `DefaultMetaV1FieldSelectorConversion`).
pub fn default_field_label_conversion(field: &str, value: &str) -> Result<(String, String), SelectorError> {
    match field {
        "metadata.name" | "metadata.namespace" => Ok((field.to_string(), value.to_string())),
        _ => Err(SelectorError::new(format!(
            "{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
            go_quote(field)
        ))),
    }
}

impl fmt::Display for FieldSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, requirement) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{requirement}")?;
        }
        Ok(())
    }
}

/// Escapes `\`, `,` and `=` in a literal value for use in a field selector.
pub fn escape_field_selector_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | ',' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Unescapes a field selector value; an unknown escape or a bare `,` or `=` is an error.
pub fn unescape_field_selector_value(s: &str) -> Result<String, SelectorError> {
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(SelectorError::new(format!("invalid field selector: invalid escape sequence: \\{c}")));
            }
            out.push(c);
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            // Upstream prints the rune with %v, which is its number.
            ',' | '=' => {
                return Err(SelectorError::new(format!(
                    "invalid field selector: unescaped character in value: {}",
                    u32::from(c)
                )));
            }
            _ => out.push(c),
        }
    }
    if in_slash {
        return Err(SelectorError::new("invalid field selector: invalid escape sequence: \\"));
    }
    Ok(out)
}

/// Splits at commas that are not escaped; the escapes stay in the terms.
fn split_terms(selector: &str) -> Vec<&str> {
    if selector.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut in_slash = false;
    for (i, c) in selector.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(&selector[start..i]);
            start = i + 1;
        }
    }
    terms.push(&selector[start..]);
    terms
}

/// Splits a term at its first operator; `!=` and `==` win over `=` at the same place.
fn split_term(term: &str) -> Option<(&str, FieldOperator, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for (op, operator) in
            [("!=", FieldOperator::NotEquals), ("==", FieldOperator::Equals), ("=", FieldOperator::Equals)]
        {
            if let Some(value) = rest.strip_prefix(op) {
                return Some((&term[..i], operator, value));
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Go formatting, so error texts quote values exactly as upstream does.
// ---------------------------------------------------------------------------

/// Go's `%q` (strconv.Quote) of a string.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", u32::from(c)));
            }
            c if u32::from(c) < 0x10000 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's unicode.IsPrint: letters, marks, numbers, punctuation,
/// symbols and the ASCII space. Unassigned code points are taken as printable.
fn is_go_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let cp = u32::from(c);
    // Format (Cf) and private-use (Co) characters, and the noncharacters U+FFFE/U+FFFF.
    let unprintable: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xE000, 0xF8FF),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0xFFFE, 0xFFFF),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
        (0xF0000, 0x10FFFF),
    ];
    !unprintable.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp))
}

/// Go's encoding/json rendering of a []string, as field errors print bad values.
fn go_json_strings(values: &[String]) -> String {
    let mut out = String::from("[");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if u32::from(c) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                    out.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The qualified-name message upstream appends after "name part ".
    const NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    /// The label value message.
    const VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    fn labels(pairs: &[(&str, &str)]) -> Map<String, Value> {
        pairs.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect()
    }

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn req(key: &str, op: LabelOperator, values: &[&str]) -> Requirement {
        let mut values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        // Upstream's tests build values from a sorted set.
        values.sort();
        values.dedup();
        Requirement::new(key, op, values).expect("valid requirement")
    }

    fn raw_selector(requirements: Vec<Requirement>) -> LabelSelector {
        LabelSelector { requirements, nothing: false }
    }

    fn parse_err(s: &str) -> String {
        LabelSelector::parse(s).expect_err(s).to_string()
    }

    fn field_err(s: &str) -> String {
        FieldSelector::parse(s).expect_err(s).to_string()
    }

    use LabelOperator as Op;

    // --- label selectors: upstream's selector_test.go tables ---

    #[test]
    fn selector_parse_round_trips() {
        let good = ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"];
        for s in good {
            let selector = LabelSelector::parse(s).expect(s);
            assert_eq!(selector.to_string(), s.replace(' ', ""), "{s}");
        }
        for s in ["x=a||y=b", "x==a==b", "!x=a", "x<a"] {
            assert!(LabelSelector::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn parse_is_deterministic() {
        let a = LabelSelector::parse("x=a,a=x").unwrap();
        let b = LabelSelector::parse("a=x,x=a").unwrap();
        assert_eq!(a.to_string(), b.to_string());
        assert_eq!(a.to_string(), "a=x,x=a");
    }

    #[test]
    fn selector_matches() {
        let yes = |s: &str, l: &[(&str, &str)]| {
            assert!(LabelSelector::parse(s).unwrap().matches(&labels(l)), "{s}");
        };
        let no = |s: &str, l: &[(&str, &str)]| {
            assert!(!LabelSelector::parse(s).unwrap().matches(&labels(l)), "{s}");
        };
        yes("", &[("x", "y")]);
        yes("x=y", &[("x", "y")]);
        yes("x=y,z=w", &[("x", "y"), ("z", "w")]);
        yes("x!=y,z!=w", &[("x", "z"), ("z", "a")]);
        yes("notin=in", &[("notin", "in")]);
        yes("x", &[("x", "z")]);
        yes("!x", &[("y", "z")]);
        yes("x>1", &[("x", "2")]);
        yes("x<1", &[("x", "0")]);
        no("x=z", &[]);
        no("x=y", &[("x", "z")]);
        no("x=y,z=w", &[("x", "w"), ("z", "w")]);
        no("x!=y,z!=w", &[("x", "z"), ("z", "w")]);
        no("x", &[("y", "z")]);
        no("!x", &[("x", "z")]);
        no("x>1", &[("x", "0")]);
        no("x<1", &[("x", "2")]);

        let set = [("foo", "bar"), ("baz", "blah")];
        yes("foo=bar", &set);
        yes("baz=blah", &set);
        yes("foo=bar,baz=blah", &set);
        no("foo=blah", &set);
        no("baz=bar", &set);
        no("foo=bar,foobar=bar,baz=blah", &set);
    }

    #[test]
    fn selector_from_set_matches() {
        let set = labels(&[("foo", "bar"), ("baz", "blah")]);
        for selector in [
            labels(&[]),
            labels(&[("foo", "bar")]),
            labels(&[("baz", "blah")]),
            labels(&[("foo", "bar"), ("baz", "blah")]),
        ] {
            assert!(LabelSelector::from_set(&selector).matches(&set));
        }
        assert!(!LabelSelector::from_set(&labels(&[("foo", "=blah")])).matches(&set));
        let selector = LabelSelector::from_set(&labels(&[("app", "foo"), ("a", "b")]));
        assert_eq!(selector.to_string(), "a=b,app=foo");
        assert!(LabelSelector::from_set(&labels(&[])).is_empty());
    }

    #[test]
    fn everything_and_nothing() {
        assert!(LabelSelector::everything().matches(&labels(&[("x", "y")])));
        assert!(LabelSelector::everything().is_empty());
        assert!(!LabelSelector::nothing().matches(&labels(&[("x", "y")])));
        assert!(!LabelSelector::nothing().is_empty());
        assert_eq!(LabelSelector::nothing().to_string(), "");
    }

    fn first_token(s: &str) -> (Token, String) {
        Lexer { s: s.as_bytes(), pos: 0 }.lex()
    }

    #[test]
    fn lexer() {
        let cases = [
            ("", Token::EndOfString),
            (",", Token::Comma),
            ("notin", Token::NotIn),
            ("in", Token::In),
            ("=", Token::Equals),
            ("==", Token::DoubleEquals),
            (">", Token::GreaterThan),
            ("<", Token::LessThan),
            // The longest valid token wins.
            ("!", Token::DoesNotExist),
            ("!=", Token::NotEquals),
            ("(", Token::OpenPar),
            (")", Token::ClosedPar),
            // Characters that are not special are part of an identifier.
            ("~", Token::Identifier),
            ("||", Token::Identifier),
        ];
        for (s, want) in cases {
            assert_eq!(first_token(s), (want, s.to_string()), "{s:?}");
        }
    }

    #[test]
    fn lexer_sequence() {
        use Token::*;
        let cases: &[(&str, &[Token])] = &[
            ("key in ( value )", &[Identifier, In, OpenPar, Identifier, ClosedPar]),
            ("key notin ( value )", &[Identifier, NotIn, OpenPar, Identifier, ClosedPar]),
            ("key in ( value1, value2 )", &[Identifier, In, OpenPar, Identifier, Comma, Identifier, ClosedPar]),
            ("key", &[Identifier]),
            ("!key", &[DoesNotExist, Identifier]),
            ("()", &[OpenPar, ClosedPar]),
            ("x in (),y", &[Identifier, In, OpenPar, ClosedPar, Comma, Identifier]),
            ("== != (), = notin", &[DoubleEquals, NotEquals, OpenPar, ClosedPar, Comma, Equals, NotIn]),
            ("key>2", &[Identifier, GreaterThan, Identifier]),
            ("key<1", &[Identifier, LessThan, Identifier]),
        ];
        for (s, want) in cases {
            let tokens: Vec<Token> = scan(s).into_iter().map(|(t, _)| t).collect();
            let mut expected = want.to_vec();
            expected.push(EndOfString);
            assert_eq!(tokens, expected, "{s:?}");
        }
    }

    #[test]
    fn parser_lookahead_and_consume_agree() {
        for s in ["key in ( value )", "!key", "", "== != (), = notin", "key<1"] {
            let mut parser = Parser { items: scan(s), position: 0 };
            loop {
                let ahead = parser.lookahead(Context::KeyAndOperator);
                let consumed = parser.consume(Context::KeyAndOperator);
                assert_eq!(ahead, consumed, "{s:?}");
                if consumed.0 == Token::EndOfString {
                    break;
                }
            }
        }
    }

    #[test]
    fn parse_operator() {
        let ok = ["in", "=", "==", ">", "<", "notin", "!="];
        for s in ok {
            let mut parser = Parser { items: scan(s), position: 0 };
            assert!(parser.parse_operator().is_ok(), "{s}");
        }
        for (s, found) in [("!", "!"), ("exists", "exists"), ("(", "(")] {
            let mut parser = Parser { items: scan(s), position: 0 };
            assert_eq!(
                parser.parse_operator().unwrap_err(),
                format!("found '{found}', expected: in, notin, =, ==, !=, gt, lt")
            );
        }
    }

    #[test]
    fn requirement_constructor() {
        let long = "a".repeat(254);
        let cases: Vec<(&str, Op, Vec<&str>, Option<String>)> = vec![
            (
                "x1",
                Op::In,
                vec![],
                Some("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty".into()),
            ),
            (
                "x2",
                Op::NotIn,
                vec![],
                Some("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty".into()),
            ),
            ("x3", Op::In, vec!["foo"], None),
            ("x4", Op::NotIn, vec!["foo"], None),
            (
                "x5",
                Op::Equals,
                vec!["bar", "foo"],
                Some(
                    "values: Invalid value: [\"bar\",\"foo\"]: exact-match compatibility requires one single value"
                        .into(),
                ),
            ),
            ("x6", Op::Exists, vec![], None),
            ("x7", Op::DoesNotExist, vec![], None),
            (
                "x8",
                Op::Exists,
                vec!["foo"],
                Some("values: Invalid value: [\"foo\"]: values set must be empty for exists and does not exist".into()),
            ),
            ("x9", Op::In, vec!["bar"], None),
            ("x11", Op::GreaterThan, vec!["1"], None),
            ("x12", Op::LessThan, vec!["6"], None),
            (
                "x13",
                Op::GreaterThan,
                vec![],
                Some("values: Invalid value: []: for 'Gt', 'Lt' operators, exactly one value is required".into()),
            ),
            (
                "x14",
                Op::GreaterThan,
                vec!["bar"],
                Some(
                    "values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer".into(),
                ),
            ),
            (
                "x15",
                Op::LessThan,
                vec!["bar"],
                Some(
                    "values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer".into(),
                ),
            ),
            (
                &long,
                Op::Exists,
                vec![],
                Some(format!("key: Invalid value: \"{long}\": name part must be no more than 63 bytes")),
            ),
            (
                "x16",
                Op::Equals,
                vec![&long],
                Some(format!("values[0][x16]: Invalid value: \"{long}\": must be no more than 63 bytes")),
            ),
            ("x17", Op::Equals, vec!["a b"], Some(format!("values[0][x17]: Invalid value: \"a b\": {VALUE_MSG}"))),
            ("1foo", Op::In, vec!["bar"], None),
            ("1234", Op::In, vec!["bar"], None),
        ];
        for (key, op, values, want) in cases {
            let values = values.into_iter().map(String::from).collect();
            let got = Requirement::new(key, op, values).err().map(|e| e.to_string());
            assert_eq!(got, want, "{key} {op:?}");
        }
    }

    #[test]
    fn requirement_errors_aggregate_like_upstream() {
        let err = Requirement::new("-x", Op::In, vec![]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "[key: Invalid value: \"-x\": name part {NAME_MSG}, values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty]"
            )
        );
    }

    #[test]
    fn to_string() {
        let cases = [
            (
                vec![req("x", Op::In, &["abc", "def"]), req("y", Op::NotIn, &["jkl"]), req("z", Op::Exists, &[])],
                "x in (abc,def),y notin (jkl),z",
            ),
            (
                vec![
                    req("x", Op::NotIn, &["abc", "def"]),
                    req("y", Op::NotEquals, &["jkl"]),
                    req("z", Op::DoesNotExist, &[]),
                ],
                "x notin (abc,def),y!=jkl,!z",
            ),
            (
                vec![req("x", Op::NotIn, &["abc"]), req("y", Op::In, &["jkl", "mno"]), req("z", Op::NotIn, &[""])],
                "x notin (abc),y in (jkl,mno),z notin ()",
            ),
            (
                vec![
                    req("x", Op::Equals, &["abc"]),
                    req("y", Op::DoubleEquals, &["jkl"]),
                    req("z", Op::NotEquals, &["a"]),
                    req("z", Op::Exists, &[]),
                ],
                "x=abc,y==jkl,z!=a,z",
            ),
            (
                vec![req("x", Op::GreaterThan, &["2"]), req("y", Op::LessThan, &["8"]), req("z", Op::Exists, &[])],
                "x>2,y<8,z",
            ),
        ];
        for (requirements, want) in cases {
            assert_eq!(raw_selector(requirements).to_string(), want);
        }
        // Values print sorted without reordering the requirement itself.
        let unsorted = Requirement::new("x", Op::In, vec!["b".into(), "a".into()]).unwrap();
        assert_eq!(unsorted.to_string(), "x in (a,b)");
        assert_eq!(unsorted.values(), ["b", "a"]);
    }

    #[test]
    fn requirement_selector_matching() {
        let cases = [
            (vec![("x", "foo"), ("y", "baz")], vec![req("x", Op::In, &["foo"]), req("y", Op::NotIn, &["alpha"])], true),
            (vec![("x", "foo"), ("y", "baz")], vec![req("x", Op::In, &["foo"]), req("y", Op::In, &["alpha"])], false),
            (vec![("y", "")], vec![req("x", Op::NotIn, &[""]), req("y", Op::Exists, &[])], true),
            (vec![("y", "")], vec![req("x", Op::DoesNotExist, &[]), req("y", Op::Exists, &[])], true),
            (vec![("y", "")], vec![req("x", Op::NotIn, &[""]), req("y", Op::DoesNotExist, &[])], false),
            (vec![("y", "baz")], vec![req("x", Op::In, &[""])], false),
            (vec![("z", "2")], vec![req("z", Op::GreaterThan, &["1"])], true),
            (vec![("z", "v2")], vec![req("z", Op::GreaterThan, &["1"])], false),
        ];
        for (set, requirements, want) in cases {
            let selector = raw_selector(requirements);
            assert_eq!(selector.matches(&labels(&set)), want, "{selector} {set:?}");
        }
    }

    #[test]
    fn set_selector_parser() {
        let valid: Vec<(&str, Vec<Requirement>)> = vec![
            ("", vec![]),
            ("\rx", vec![req("x", Op::Exists, &[])]),
            (
                "this-is-a-dns.domain.com/key-with-dash",
                vec![req("this-is-a-dns.domain.com/key-with-dash", Op::Exists, &[])],
            ),
            (
                "this-is-another-dns.domain.com/key-with-dash in (so,what)",
                vec![req("this-is-another-dns.domain.com/key-with-dash", Op::In, &["so", "what"])],
            ),
            (
                "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
                vec![req("0.1.2.domain/99", Op::NotIn, &["10.10.100.1", "tick.tack.clock"])],
            ),
            ("foo  in\t (abc)", vec![req("foo", Op::In, &["abc"])]),
            ("x notin\n (abc)", vec![req("x", Op::NotIn, &["abc"])]),
            ("x  notin\t\t\t(abc,def)", vec![req("x", Op::NotIn, &["abc", "def"])]),
            ("x in (abc,def)", vec![req("x", Op::In, &["abc", "def"])]),
            ("x in (abc,)", vec![req("x", Op::In, &["abc", ""])]),
            ("x in (abc,abc)", vec![req("x", Op::In, &["abc"])]),
            ("x in ()", vec![req("x", Op::In, &[""])]),
            ("x in (a,,)", vec![req("x", Op::In, &["a", ""])]),
            ("x in (a,,,)", vec![req("x", Op::In, &["a", ""])]),
            ("x in (a,,,,,,)", vec![req("x", Op::In, &["a", ""])]),
            ("x in (a,,a,,a,,a,,)", vec![req("x", Op::In, &["a", ""])]),
            (
                "x notin (abc,,def),bar,z in (),w",
                vec![
                    req("bar", Op::Exists, &[]),
                    req("w", Op::Exists, &[]),
                    req("x", Op::NotIn, &["abc", "", "def"]),
                    req("z", Op::In, &[""]),
                ],
            ),
            ("x,y in (a)", vec![req("x", Op::Exists, &[]), req("y", Op::In, &["a"])]),
            ("x=a", vec![req("x", Op::Equals, &["a"])]),
            ("x>1", vec![req("x", Op::GreaterThan, &["1"])]),
            ("x<7", vec![req("x", Op::LessThan, &["7"])]),
            ("x=a,y!=b", vec![req("x", Op::Equals, &["a"]), req("y", Op::NotEquals, &["b"])]),
            (
                "x=a,y!=b,z in (h,i,j)",
                vec![req("x", Op::Equals, &["a"]), req("y", Op::NotEquals, &["b"]), req("z", Op::In, &["h", "i", "j"])],
            ),
            ("x notin ( )", vec![req("x", Op::NotIn, &[""])]),
            ("x notin (, a)", vec![req("x", Op::NotIn, &["", "a"])]),
            ("a ", vec![req("a", Op::Exists, &[])]),
            ("a in (x,y,notin, z,in)", vec![req("a", Op::In, &["in", "notin", "x", "y", "z"])]),
        ];
        for (s, want) in valid {
            let selector = LabelSelector::parse(s).expect(s);
            assert_eq!(selector.requirements(), want.as_slice(), "{s:?}");
        }
        for s in [
            "x=a||y=b",
            "x,,y",
            ",x,y",
            "x nott in (y)",
            "a in (xyz),",
            "a in (xyz)b notin ()",
            "a in (xyz abc)",
            "a notin(",
            "a (",
            "(",
        ] {
            assert!(LabelSelector::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn parse_error_messages() {
        let cases = [
            (
                "x=a||y=b",
                format!("unable to parse requirement: values[0][x]: Invalid value: \"a||y\": {VALUE_MSG}"),
            ),
            ("x==a==b", "found '==', expected: ',' or 'end of string'".into()),
            ("!x=a", "found '=', expected: ',' or 'end of string'".into()),
            (
                "x<a",
                "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer".into(),
            ),
            ("x,,y", "found ',', expected: identifier after ','".into()),
            (",x,y", "found ',', expected: !, identifier, or 'end of string'".into()),
            (
                "x nott in (y)",
                "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt".into(),
            ),
            ("a in (xyz),", "found '', expected: identifier after ','".into()),
            ("a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'".into()),
            (
                "a in (xyz abc)",
                "unable to parse requirement: found 'abc', expected: ',' or ')'".into(),
            ),
            (
                "a notin(",
                "unable to parse requirement: found '', expected: ',', ')' or identifier".into(),
            ),
            (
                "a (",
                "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt".into(),
            ),
            ("(", "found '(', expected: !, identifier, or 'end of string'".into()),
            (
                "x in (a,",
                "unable to parse requirement: found '', expected: ',', or identifier".into(),
            ),
            ("x in", "unable to parse requirement: found '' expected: '('".into()),
            ("!", "unable to parse requirement: found '', expected: identifier".into()),
            ("x=(", "unable to parse requirement: found '(', expected: identifier".into()),
            ("a=b c", "found 'c', expected: ',' or 'end of string'".into()),
            (
                "x>",
                "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer".into(),
            ),
            (
                "x/ = a",
                format!("unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be non-empty; name part {NAME_MSG}"),
            ),
            (
                "-a",
                format!("unable to parse requirement: <nil>: Invalid value: \"-a\": name part {NAME_MSG}"),
            ),
            (
                "a/b/c",
                format!(
                    "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key {NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
                ),
            ),
            (
                "Example.com/a",
                format!("unable to parse requirement: <nil>: Invalid value: \"Example.com/a\": prefix part {SUBDOMAIN_MSG}"),
            ),
            (
                "x in (-a,b_)",
                format!(
                    "unable to parse requirement: [values[0][x]: Invalid value: \"-a\": {VALUE_MSG}, values[1][x]: Invalid value: \"b_\": {VALUE_MSG}]"
                ),
            ),
            (
                "x>a@",
                format!(
                    "unable to parse requirement: [values[0]: Invalid value: \"a@\": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: \"a@\": {VALUE_MSG}]"
                ),
            ),
            (
                "x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "unable to parse requirement: values[0][x]: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be no more than 63 bytes".into(),
            ),
            // Go's %q escapes what it cannot print.
            (
                "k\u{a0}=v",
                format!("unable to parse requirement: <nil>: Invalid value: \"k\\u00a0\": name part {NAME_MSG}"),
            ),
            (
                "k\u{b}=v",
                format!("unable to parse requirement: <nil>: Invalid value: \"k\\v\": name part {NAME_MSG}"),
            ),
        ];
        for (s, want) in cases {
            assert_eq!(parse_err(s), want, "{s:?}");
        }
    }

    #[test]
    fn parse_quirks_match_upstream() {
        // Whitespace only is the empty selector.
        assert!(LabelSelector::parse(" \t\n").unwrap().is_empty());
        // `in` and `notin` are identifiers where a key or value is expected.
        assert_eq!(LabelSelector::parse("in in (in)").unwrap().to_string(), "in in (in)");
        // A NUL byte ends the input where a token would start, as upstream's lexer reads it.
        assert_eq!(LabelSelector::parse("x=a \0 garbage").unwrap().to_string(), "x=a");
        assert_eq!(parse_err("x=a,\0"), "found '', expected: identifier after ','");
        // Gt/Lt take signed integers, but the value must still be a valid label value.
        assert!(LabelSelector::parse("x>+5").is_err());
        let selector = LabelSelector::parse("x<10").unwrap();
        assert!(selector.matches(&labels(&[("x", "-3")])));
        assert!(!selector.matches(&labels(&[("x", "ten")])));
        assert!(!selector.matches(&labels(&[])));
    }

    #[test]
    fn requires_exact_match() {
        let raw = |requirements: Vec<Requirement>| raw_selector(requirements);
        let cases = [
            (raw(vec![req("key", Op::In, &["value"])]), "key", Some("value")),
            (raw(vec![req("key", Op::In, &["value", "value2"])]), "key", None),
            (
                raw(vec![req("key", Op::In, &["value", "value1"]), req("key2", Op::In, &["value2"])]),
                "key2",
                Some("value2"),
            ),
            (raw(vec![req("key", Op::Equals, &["value"])]), "key", Some("value")),
            (raw(vec![req("key", Op::DoubleEquals, &["value"])]), "key", Some("value")),
            (raw(vec![req("key", Op::NotEquals, &["value"])]), "key", None),
            (raw(vec![req("key", Op::In, &["value"]), req("key2", Op::In, &["value2"])]), "key", Some("value")),
        ];
        for (selector, label, want) in cases {
            assert_eq!(selector.requires_exact_match(label), want, "{selector}");
        }
        // The first requirement on the key decides.
        let selector = LabelSelector::parse("a!=b,a=c").unwrap();
        assert_eq!(selector.requires_exact_match("a"), None);
    }

    // --- metav1.LabelSelector ---

    #[test]
    fn label_selector_as_selector() {
        let expressions = json!([{"key": "baz", "operator": "In", "values": ["qux", "norf"]}]);
        let cases = [
            (json!({}), ""),
            (json!({"matchLabels": {"foo": "bar"}}), "foo=bar"),
            (json!({"matchExpressions": expressions}), "baz in (norf,qux)"),
            (json!({"matchLabels": {"foo": "bar"}, "matchExpressions": expressions}), "baz in (norf,qux),foo=bar"),
            (json!({"matchLabels": null, "matchExpressions": []}), ""),
        ];
        for (v, want) in cases {
            let selector = LabelSelector::from_label_selector_json(&v).expect("valid");
            assert_eq!(selector.to_string(), want, "{v}");
            assert_eq!(selector.is_empty(), want.is_empty());
        }
        let nothing = LabelSelector::from_label_selector_json(&Value::Null).unwrap();
        assert!(nothing.matches_nothing());
        assert!(!nothing.matches(&labels(&[])));

        let selector = LabelSelector::from_label_selector_json(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "NotIn", "values": ["db"]},
                {"key": "canary", "operator": "DoesNotExist"}
            ]
        }))
        .unwrap();
        assert!(selector.matches(&labels(&[("app", "web"), ("tier", "front")])));
        assert!(selector.matches(&labels(&[("app", "web")])));
        assert!(!selector.matches(&labels(&[("app", "web"), ("tier", "db")])));
        assert!(!selector.matches(&labels(&[("app", "web"), ("canary", "")])));
        assert!(!selector.matches(&labels(&[("app", "api")])));
    }

    #[test]
    fn matches_object_reads_metadata_labels() {
        let selector = LabelSelector::parse("app=web,!canary").unwrap();
        assert!(selector.matches_object(&json!({"metadata": {"name": "a", "labels": {"app": "web"}}})));
        assert!(!selector.matches_object(&json!({"metadata": {"labels": {"app": "web", "canary": "1"}}})));
        assert!(!selector.matches_object(&json!({"metadata": {"name": "a"}})));
        assert!(LabelSelector::parse("!app").unwrap().matches_object(&json!({"metadata": {}})));
        assert!(LabelSelector::everything().matches_object(&json!({})));
    }

    #[test]
    fn label_selector_json_errors() {
        let err = |v: Value| LabelSelector::from_label_selector_json(&v).unwrap_err().to_string();
        assert_eq!(
            err(json!({"matchExpressions": [{"key": "baz", "operator": "Exists", "values": ["qux", "norf"]}]})),
            "values: Invalid value: [\"qux\",\"norf\"]: values set must be empty for exists and does not exist"
        );
        // An empty list is a nil slice upstream, which prints as null.
        assert_eq!(
            err(json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]})),
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"
        );
        assert_eq!(
            err(json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]})),
            "\"Gt\" is not a valid label selector operator"
        );
        assert_eq!(err(json!({"matchExpressions": [{"key": "a"}]})), "\"\" is not a valid label selector operator");
        assert_eq!(
            err(json!({"matchLabels": {"a": "x y"}})),
            format!("values[0][a]: Invalid value: \"x y\": {VALUE_MSG}")
        );
        assert_eq!(
            err(json!({"matchExpressions": [{"key": "x", "operator": "Exists", "values": ["<&>"]}]})),
            format!(
                "[values: Invalid value: [\"\\u003c\\u0026\\u003e\"]: values set must be empty for exists and does not exist, values[0][x]: Invalid value: \"<&>\": {VALUE_MSG}]"
            )
        );
    }

    #[test]
    fn format_label_selector_prints_like_kubectl() {
        assert_eq!(format_label_selector(&Value::Null), "<none>");
        assert_eq!(format_label_selector(&json!({})), "<none>");
        assert_eq!(
            format_label_selector(&json!({
                "matchLabels": {"app": "nginx"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]
            })),
            "app=nginx,tier in (a,b)"
        );
        assert_eq!(format_label_selector(&json!({"matchExpressions": [{"key": "a", "operator": "Bad"}]})), "<error>");
        assert_eq!(format_labels(&labels(&[])), "<none>");
        assert_eq!(format_labels(&labels(&[("b", "2"), ("a", "1")])), "a=1,b=2");
    }

    // --- field selectors: upstream's fields/selector_test.go tables ---

    #[test]
    fn field_split_terms() {
        let cases: &[(&str, &[&str])] = &[
            ("a", &["a"]),
            ("a=avalue", &["a=avalue"]),
            ("a=avalue,b=bvalue", &["a=avalue", "b=bvalue"]),
            ("a=avalue,b==bvalue,c!=cvalue", &["a=avalue", "b==bvalue", "c!=cvalue"]),
            ("", &[]),
            ("a=a,", &["a=a", ""]),
            (",a=a", &["", "a=a"]),
            (r"k=\,,k2=v2", &[r"k=\,", "k2=v2"]),
            (r"k=\\,k2=v2", &[r"k=\\", "k2=v2"]),
            (r"k=\\\,,k2=v2", &[r"k=\\\,", "k2=v2"]),
            (r"k=\a\b\", &[r"k=\a\b\"]),
            (r"k=\", &[r"k=\"]),
            ("함=수,목=록", &["함=수", "목=록"]),
        ];
        for (s, want) in cases {
            assert_eq!(split_terms(s), want.to_vec(), "{s:?}");
        }
    }

    #[test]
    fn field_split_term() {
        use FieldOperator::*;
        let cases = [
            ("a=value", Some(("a", Equals, "value"))),
            ("b==value", Some(("b", Equals, "value"))),
            ("c!=value", Some(("c", NotEquals, "value"))),
            ("", None),
            ("a", None),
            (r"k=\,", Some(("k", Equals, r"\,"))),
            (r"k=\=", Some(("k", Equals, r"\="))),
            (r"k=\\\a\b\=\,\", Some(("k", Equals, r"\\\a\b\=\,\"))),
            ("함=수", Some(("함", Equals, "수"))),
        ];
        for (term, want) in cases {
            assert_eq!(split_term(term), want, "{term:?}");
        }
    }

    #[test]
    fn field_escape_value() {
        let cases = [("", ""), ("a", "a"), ("=", r"\="), (",", r"\,"), (r"\", r"\\"), (r"\=\,\", r"\\\=\\\,\\")];
        for (raw, escaped) in cases {
            assert_eq!(escape_field_selector_value(raw), escaped);
            assert_eq!(unescape_field_selector_value(escaped).unwrap(), raw);
        }
        for (bad, want) in [
            (r"\", r"invalid field selector: invalid escape sequence: \"),
            (r"\\\", r"invalid field selector: invalid escape sequence: \"),
            (r"\a", r"invalid field selector: invalid escape sequence: \a"),
        ] {
            assert_eq!(unescape_field_selector_value(bad).unwrap_err().to_string(), want);
        }
    }

    #[test]
    fn field_selector_parse_round_trips() {
        for s in ["x=a,y=b,z=c", "", "x!=a,y=b", r"x=a||y\=b", r"x=a\=\=b"] {
            assert_eq!(FieldSelector::parse(s).expect(s).to_string(), s);
        }
        for s in ["x=a||y=b", "x==a==b", "x=a,b", "x in (a)", "x in (a,b,c)", "x"] {
            assert!(FieldSelector::parse(s).is_err(), "{s}");
        }
        let a = FieldSelector::parse("x=a,a=x").unwrap();
        let b = FieldSelector::parse("a=x,x=a").unwrap();
        assert_eq!(a.to_string(), b.to_string());
        assert_eq!(a.to_string(), "a=x,x=a");
        // `==` prints back as `=`.
        assert_eq!(FieldSelector::parse("b==2").unwrap().to_string(), "b=2");
    }

    #[test]
    fn field_selector_error_messages() {
        let cases = [
            ("x=a||y=b", "invalid field selector: unescaped character in value: 61"),
            ("x==a==b", "invalid field selector: unescaped character in value: 61"),
            ("a!==b", "invalid field selector: unescaped character in value: 61"),
            ("x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"),
            ("x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'"),
            ("x", "invalid selector: 'x'; can't understand 'x'"),
            (r"a=\q", r"invalid field selector: invalid escape sequence: \q"),
            (r"a=b\", r"invalid field selector: invalid escape sequence: \"),
            // Terms are checked in sorted order.
            ("z,a", "invalid selector: 'z,a'; can't understand 'a'"),
        ];
        for (s, want) in cases {
            assert_eq!(field_err(s), want, "{s:?}");
        }
    }

    #[test]
    fn field_selector_matches() {
        let yes = |s: &str, f: &[(&str, &str)]| {
            assert!(FieldSelector::parse(s).unwrap().matches(&fields(f)), "{s}");
        };
        let no = |s: &str, f: &[(&str, &str)]| {
            assert!(!FieldSelector::parse(s).unwrap().matches(&fields(f)), "{s}");
        };
        yes("", &[("x", "y")]);
        yes("x=y", &[("x", "y")]);
        yes("x=y,z=w", &[("x", "y"), ("z", "w")]);
        yes("x!=y,z!=w", &[("x", "z"), ("z", "a")]);
        yes("notin=in", &[("notin", "in")]);
        no("x=y", &[("x", "z")]);
        no("x=y,z=w", &[("x", "w"), ("z", "w")]);
        no("x!=y,z!=w", &[("x", "z"), ("z", "w")]);

        let set = [("foo", "bar"), ("baz", "blah"), ("complex", r"=value\,\")];
        yes("foo=bar", &set);
        yes("baz=blah", &set);
        yes("foo=bar,baz=blah", &set);
        yes(r"foo=bar,baz=blah,complex=\=value\\\,\\", &set);
        no("foo=blah", &set);
        no("baz=bar", &set);
        no("foo=bar,foobar=bar,baz=blah", &set);

        // A missing field reads as the empty string.
        yes("spec.nodeName=", &[]);
        no("spec.nodeName!=", &[]);
        yes("spec.nodeName!=n1", &[]);
    }

    #[test]
    fn field_selector_exact_and_fields() {
        let selector = FieldSelector::parse("status.phase!=Failed,metadata.name=web-0").unwrap();
        assert_eq!(selector.exact("metadata.name"), Some("web-0"));
        assert_eq!(selector.exact("status.phase"), None);
        assert_eq!(selector.exact("spec.nodeName"), None);
        assert_eq!(selector.fields(), ["metadata.name", "status.phase"]);
        assert_eq!(FieldSelector::parse("metadata.name=").unwrap().exact("metadata.name"), Some(""));
        // The first term in sorted order wins, as upstream's RequiresExactMatch.
        assert_eq!(FieldSelector::parse("a=y,a=x").unwrap().exact("a"), Some("x"));
    }

    #[test]
    fn field_selector_empty_terms() {
        assert!(FieldSelector::parse("").unwrap().is_empty());
        assert!(FieldSelector::parse(",,").unwrap().is_empty());
        // A term with neither field nor value selects everything, as upstream.
        assert!(FieldSelector::parse("=").unwrap().is_empty());
        assert_eq!(FieldSelector::parse("=,a=b").unwrap().to_string(), "a=b");
        // Field names are taken as written; the caller rejects unsupported ones.
        assert_eq!(FieldSelector::parse(" a = b ").unwrap().fields(), [" a "]);
        assert!(FieldSelector::everything().is_empty());
    }

    #[test]
    fn field_selector_transform() {
        let selector = FieldSelector::parse("metadata.name=web,metadata.namespace!=kube-system").unwrap();
        let same = selector.transform(default_field_label_conversion).unwrap();
        assert_eq!(same, selector);
        let err = FieldSelector::parse("spec.nodeName=n1").unwrap().transform(default_field_label_conversion);
        assert_eq!(
            err.unwrap_err().to_string(),
            "\"spec.nodeName\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        // A conversion to an empty field and value drops the term.
        let renamed = FieldSelector::parse("spec.host=n1,status.phase=Running")
            .unwrap()
            .transform(|field, value| match field {
                "spec.host" => Ok(("spec.nodeName".to_string(), value.to_string())),
                _ => Ok((String::new(), String::new())),
            })
            .unwrap();
        assert_eq!(renamed.to_string(), "spec.nodeName=n1");
    }

    // --- Go formatting helpers ---

    #[test]
    fn go_quote_matches_strconv_quote() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{7}\u{8}\u{c}\n\r\t\u{b}"), r#""\a\b\f\n\r\t\v""#);
        assert_eq!(go_quote("\u{1}\u{7f}"), r#""\x01\x7f""#);
        assert_eq!(go_quote("é\u{a0}\u{200b}"), "\"é\\u00a0\\u200b\"");
        assert_eq!(go_quote("\u{F0000}😀"), "\"\\U000f0000😀\"");
    }

    #[test]
    fn go_json_matches_encoding_json() {
        assert_eq!(go_json_strings(&[]), "[]");
        assert_eq!(
            go_json_strings(&["<a&b>".into(), "q\"\\".into(), "\u{1}\u{8}\n".into(), "\u{2028}".into()]),
            r#"["\u003ca\u0026b\u003e","q\"\\","\u0001\b\n","\u2028"]"#
        );
    }
}
