//! CEL, the Common Expression Language, as Kubernetes configuration uses it
//! (structured authentication today; admission policies and CRD validation
//! rules later): compile an expression once when its configuration is
//! loaded, evaluate it many times against JSON-shaped variables, within
//! bounds.
//!
//! The interpreter is cel-rust (through `kube-cel`, which adds the
//! Kubernetes libraries: strings, lists, sets, regex, urls, ip/cidr, semver,
//! quantity, format, math, base64). It has neither cel-go's type-checker nor
//! its cost metering, so this module stands in for them where it can:
//!
//! - at compile time: a bound on the source length, the parser's nesting
//!   depth, the number of AST nodes and the nesting of comprehensions
//!   (`all`, `exists`, `map`, `filter`); references to undeclared variables
//!   and struct literals (which cel-rust cannot evaluate) are compile errors;
//! - at evaluation time: `lists.range` is capped, the variables' size is
//!   bounded by the caller, evaluation runs off the async runtime with a
//!   deadline, and a panic in the interpreter is an error, not a crash.
//!
//! What is still missing against cel-go: type errors are found only when an
//! expression runs, and there is no per-expression cost budget (an
//! expression that loops over a large input runs until its deadline; the
//! thread finishes it in the background).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use kube_cel::KubeCelExt;
use kube_cel::cel;
pub use kube_cel::cel::Value;
use kube_cel::cel::common::ast::{EntryExpr, Expr, IdedExpr};
use kube_cel::cel::objects::{Key, Map};

/// What can go wrong with an expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CelError {
    /// The expression does not compile (syntax, undeclared references,
    /// unsupported constructs), with cel's message.
    #[error("compilation failed: {0}")]
    Compile(String),
    /// The expression is larger or deeper than the limits allow.
    #[error("{0}")]
    TooComplex(String),
    /// Evaluation failed (no such key, no such overload, a function's
    /// error...).
    #[error("{0}")]
    Evaluation(String),
    /// Evaluation did not finish before its deadline.
    #[error("evaluation exceeded its time limit of {0:?}")]
    Timeout(Duration),
    /// A variable is larger than the limits allow.
    #[error("input too large: {0}")]
    InputTooLarge(String),
    /// A value has no JSON form (a function, a non-finite float...).
    #[error("cannot convert {0} to JSON")]
    Conversion(String),
}

/// Bounds on expressions and their evaluation.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest expression source, in bytes.
    pub max_source_bytes: usize,
    /// Deepest nesting the parser accepts.
    pub max_parse_depth: u16,
    /// Most AST nodes (after macro expansion).
    pub max_nodes: usize,
    /// Deepest nesting of comprehensions (`all` inside `map` is two).
    pub max_comprehension_depth: usize,
    /// Longest list `lists.range` may build.
    pub max_range: i64,
    /// Largest variable, as compact JSON, in bytes.
    pub max_input_bytes: usize,
    /// How long one evaluation batch may run.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_source_bytes: 10 * 1024,
            max_parse_depth: 50,
            max_nodes: 1_000,
            max_comprehension_depth: 2,
            max_range: 1_024,
            max_input_bytes: 1 << 20,
            timeout: Duration::from_millis(250),
        }
    }
}

/// The functions and declared variables expressions are compiled against.
pub struct Environment {
    root: Arc<cel::Context<'static>>,
    variables: BTreeSet<String>,
    limits: Limits,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment").field("variables", &self.variables).field("limits", &self.limits).finish()
    }
}

/// A compiled expression.
#[derive(Clone, Debug)]
pub struct Program {
    source: String,
    ast: Arc<IdedExpr>,
}

impl Program {
    /// The expression's source.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the expression reads `operand.field` (or `operand[?"field"]`
    /// style optional selects, or `has(operand.field)`).
    pub fn selects(&self, operand: &str, field: &str) -> bool {
        let mut found = false;
        walk(&self.ast, &mut |e| {
            if let Expr::Select(s) = &e.expr
                && s.field == field
                && matches!(&s.operand.expr, Expr::Ident(name) if name == operand)
            {
                found = true;
            }
            if let Expr::Call(c) = &e.expr
                && c.func_name == "_?._"
                && c.target.is_none()
                && c.args.len() == 2
                && matches!(&c.args[0].expr, Expr::Ident(name) if name == operand)
                && matches!(&c.args[1].expr, Expr::Literal(cel::common::ast::LiteralValue::String(s)) if s.inner() == field)
            {
                found = true;
            }
        });
        found
    }
}

/// Calls `f` on every node of `e`.
fn walk(e: &IdedExpr, f: &mut dyn FnMut(&IdedExpr)) {
    f(e);
    match &e.expr {
        Expr::Call(c) => {
            if let Some(t) = &c.target {
                walk(t, f);
            }
            for a in &c.args {
                walk(a, f);
            }
        }
        Expr::Comprehension(c) => {
            for part in [&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                walk(part, f);
            }
        }
        Expr::List(l) => {
            for el in &l.elements {
                walk(el, f);
            }
        }
        Expr::Map(m) => {
            for entry in &m.entries {
                if let EntryExpr::MapEntry(me) = &entry.expr {
                    walk(&me.key, f);
                    walk(&me.value, f);
                }
            }
        }
        Expr::Select(s) => walk(&s.operand, f),
        Expr::Struct(s) => {
            for entry in &s.entries {
                if let EntryExpr::StructField(sf) = &entry.expr {
                    walk(&sf.value, f);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// What a static check of an AST found.
#[derive(Default)]
struct Shape {
    nodes: usize,
    max_comprehension_depth: usize,
    undeclared: Option<String>,
    unsupported: Option<&'static str>,
}

/// The namespaces of qualified library functions (`lists.range`,
/// `strings.quote`, `math.greatest`...).
const NAMESPACES: &[&str] = &[
    "base64",
    "format",
    "ip",
    "cidr",
    "jsonpatch",
    "lists",
    "math",
    "optional",
    "quantity",
    "semver",
    "sets",
    "strings",
    "url",
];

fn check(e: &IdedExpr, scope: &mut Vec<String>, declared: &BTreeSet<String>, depth: usize, shape: &mut Shape) {
    shape.nodes += 1;
    match &e.expr {
        Expr::Ident(name) => {
            if !declared.contains(name) && !scope.iter().any(|s| s == name) && shape.undeclared.is_none() {
                shape.undeclared = Some(name.clone());
            }
        }
        Expr::Comprehension(c) => {
            let depth = depth + 1;
            shape.max_comprehension_depth = shape.max_comprehension_depth.max(depth);
            check(&c.iter_range, scope, declared, depth - 1, shape);
            check(&c.accu_init, scope, declared, depth - 1, shape);
            let pushed = 2 + usize::from(c.iter_var2.is_some());
            scope.push(c.iter_var.clone());
            scope.push(c.accu_var.clone());
            if let Some(v) = &c.iter_var2 {
                scope.push(v.clone());
            }
            for part in [&c.loop_cond, &c.loop_step, &c.result] {
                check(part, scope, declared, depth, shape);
            }
            scope.truncate(scope.len() - pushed);
        }
        Expr::Call(c) => {
            match c.target.as_deref() {
                // `lists.range(n)`: a function's namespace, not a variable.
                Some(IdedExpr { expr: Expr::Ident(ns), .. })
                    if NAMESPACES.contains(&ns.as_str()) && !declared.contains(ns) && !scope.contains(ns) =>
                {
                    shape.nodes += 1;
                }
                Some(t) => check(t, scope, declared, depth, shape),
                None => {}
            }
            for a in &c.args {
                check(a, scope, declared, depth, shape);
            }
        }
        Expr::List(l) => {
            for el in &l.elements {
                check(el, scope, declared, depth, shape);
            }
        }
        Expr::Map(m) => {
            for entry in &m.entries {
                match &entry.expr {
                    EntryExpr::MapEntry(me) => {
                        check(&me.key, scope, declared, depth, shape);
                        check(&me.value, scope, declared, depth, shape);
                    }
                    EntryExpr::StructField(_) => shape.unsupported = Some("struct fields"),
                }
            }
        }
        Expr::Select(s) => check(&s.operand, scope, declared, depth, shape),
        Expr::Struct(_) => shape.unsupported = Some("message construction"),
        Expr::Unspecified => shape.unsupported = Some("an unspecified expression"),
        Expr::Literal(_) => {}
    }
}

impl Environment {
    /// An environment declaring `variables`, with the Kubernetes CEL
    /// libraries, bounded by `limits`.
    pub fn new(variables: &[&str], limits: Limits) -> Self {
        let mut root = cel::Context::default().with_all();
        let max_range = limits.max_range;
        // lists.range builds its whole list at once: cap it so an
        // expression cannot allocate without bound.
        root.add_function("lists.range", move |n: i64| -> cel::ResolveResult {
            if !(0..=max_range).contains(&n) {
                return Err(cel::ExecutionError::function_error(
                    "lists.range",
                    format!("range argument must be between 0 and {max_range}"),
                ));
            }
            Ok(Value::List(Arc::new((0..n).map(Value::Int).collect())))
        });
        Self { root: Arc::new(root), variables: variables.iter().map(|v| v.to_string()).collect(), limits }
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Compiles `source`: parses it and checks it against the limits and the
    /// declared variables.
    pub fn compile(&self, source: &str) -> Result<Program, CelError> {
        let l = &self.limits;
        if source.len() > l.max_source_bytes {
            return Err(CelError::TooComplex(format!(
                "expression is {} bytes long, more than the limit of {}",
                source.len(),
                l.max_source_bytes
            )));
        }
        let ast = cel::parser::Parser::new()
            .max_recursion_depth(l.max_parse_depth)
            .parse(source)
            .map_err(|e| CelError::Compile(e.to_string()))?;
        let mut shape = Shape::default();
        check(&ast, &mut Vec::new(), &self.variables, 0, &mut shape);
        if let Some(what) = shape.unsupported {
            return Err(CelError::Compile(format!("{what} is not supported")));
        }
        if let Some(name) = shape.undeclared {
            return Err(CelError::Compile(format!("undeclared reference to '{name}'")));
        }
        if shape.nodes > l.max_nodes {
            return Err(CelError::TooComplex(format!(
                "expression has {} nodes, more than the limit of {}",
                shape.nodes, l.max_nodes
            )));
        }
        if shape.max_comprehension_depth > l.max_comprehension_depth {
            return Err(CelError::TooComplex(format!(
                "expression nests {} comprehensions, more than the limit of {}",
                shape.max_comprehension_depth, l.max_comprehension_depth
            )));
        }
        Ok(Program { source: source.to_string(), ast: Arc::new(ast) })
    }

    /// Evaluates `program` with `variables` (name, value) on the calling
    /// thread. Prefer [`Environment::evaluate_bounded`] on async paths.
    pub fn evaluate(&self, program: &Program, variables: &[(&str, Value)]) -> Result<Value, CelError> {
        let mut ctx = self.root.new_inner_scope();
        for (name, value) in variables {
            ctx.add_variable_from_value(*name, value.clone());
        }
        let run = std::panic::AssertUnwindSafe(|| Value::resolve(&program.ast, &ctx));
        match std::panic::catch_unwind(run) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(CelError::Evaluation(e.to_string())),
            Err(_) => Err(CelError::Evaluation("the CEL interpreter failed on this expression".into())),
        }
    }

    /// Runs `f` (which evaluates programs of this environment) on a
    /// blocking thread, within the time limit.
    pub async fn evaluate_bounded<T, F>(self: &Arc<Self>, f: F) -> Result<T, CelError>
    where
        T: Send + 'static,
        F: FnOnce(&Environment) -> Result<T, CelError> + Send + 'static,
    {
        let env = self.clone();
        let timeout = self.limits.timeout;
        let task = tokio::task::spawn_blocking(move || f(&env));
        match tokio::time::timeout(timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(CelError::Evaluation("the CEL interpreter failed on this expression".into())),
            Err(_) => Err(CelError::Timeout(timeout)),
        }
    }

    /// A JSON value as a CEL value, refused when larger than the limit.
    pub fn value_of(&self, json: &serde_json::Value) -> Result<Value, CelError> {
        let size = serde_json::to_vec(json).map(|v| v.len()).unwrap_or(usize::MAX);
        if size > self.limits.max_input_bytes {
            return Err(CelError::InputTooLarge(format!(
                "{size} bytes, more than the limit of {}",
                self.limits.max_input_bytes
            )));
        }
        Ok(from_json(json))
    }
}

/// A JSON value as a CEL value: integers that fit are `int` (as Kubernetes'
/// unstructured objects make them), larger ones `uint`, others `double`.
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::UInt(u)
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(a) => Value::List(Arc::new(a.iter().map(from_json).collect())),
        serde_json::Value::Object(o) => {
            let map: HashMap<Key, Value> =
                o.iter().map(|(k, v)| (Key::String(Arc::new(k.clone())), from_json(v))).collect();
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

/// A CEL value as JSON: map keys become strings, bytes base64, timestamps
/// RFC 3339, durations nanoseconds.
pub fn to_json(value: &Value) -> Result<serde_json::Value, CelError> {
    use base64::Engine;
    Ok(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => (*i).into(),
        Value::UInt(u) => (*u).into(),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .ok_or_else(|| CelError::Conversion(format!("the double {f}")))?,
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Bytes(b) => base64::engine::general_purpose::STANDARD.encode(b.as_slice()).into(),
        Value::List(l) => serde_json::Value::Array(l.iter().map(to_json).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut o = serde_json::Map::new();
            for (k, v) in m.map.iter() {
                let key = match k {
                    Key::String(s) => s.to_string(),
                    Key::Int(i) => i.to_string(),
                    Key::Uint(u) => u.to_string(),
                    Key::Bool(b) => b.to_string(),
                };
                o.insert(key, to_json(v)?);
            }
            serde_json::Value::Object(o)
        }
        Value::Timestamp(t) => t.to_rfc3339().into(),
        Value::Duration(d) => d
            .num_nanoseconds()
            .map(Into::into)
            .ok_or_else(|| CelError::Conversion("a duration beyond 2^63 nanoseconds".into()))?,
        other => return Err(CelError::Conversion(format!("a value of type {}", type_name(other)))),
    })
}

/// The CEL type name of a value, for messages.
pub fn type_name(value: &Value) -> String {
    value.type_of().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env() -> Environment {
        Environment::new(&["claims", "user"], Limits::default())
    }

    fn eval(src: &str, claims: serde_json::Value) -> Result<Value, CelError> {
        let env = env();
        let p = env.compile(src)?;
        let claims = env.value_of(&claims)?;
        env.evaluate(&p, &[("claims", claims)])
    }

    #[test]
    fn json_values_round_trip_through_cel() {
        let v = json!({"s": "x", "i": -3, "big": u64::MAX, "f": 1.5, "b": true, "n": null, "l": [1, "a"],
                       "m": {"k": [true]}});
        assert_eq!(to_json(&from_json(&v)).unwrap(), v);
        assert!(matches!(from_json(&json!(7)), Value::Int(7)));
        assert!(matches!(from_json(&json!(u64::MAX)), Value::UInt(u64::MAX)));
        assert!(to_json(&Value::Float(f64::NAN)).is_err());
        assert_eq!(to_json(&Value::Bytes(Arc::new(b"hi".to_vec()))).unwrap(), json!("aGk="));
    }

    #[test]
    fn expressions_evaluate_against_claims() {
        let claims = json!({"sub": "u1", "email": "a@example.com", "groups": ["dev", "ops"], "exp": 10});
        assert_eq!(to_json(&eval("'user:' + claims.sub", claims.clone()).unwrap()).unwrap(), json!("user:u1"));
        assert_eq!(
            to_json(&eval("claims.groups.map(g, 'oidc:' + g)", claims.clone()).unwrap()).unwrap(),
            json!(["oidc:dev", "oidc:ops"])
        );
        assert!(matches!(eval("claims.exp > 5 && has(claims.email)", claims.clone()), Ok(Value::Bool(true))));
        assert!(matches!(eval("claims.email.endsWith('@example.com')", claims.clone()), Ok(Value::Bool(true))));
        // A Kubernetes library function.
        assert!(matches!(eval("claims.sub.lowerAscii() == 'u1'", claims.clone()), Ok(Value::Bool(true))));
        // Runtime errors are errors, not panics.
        assert!(matches!(eval("claims.missing == 'x'", claims.clone()), Err(CelError::Evaluation(_))));
        assert!(matches!(eval("claims.sub + 1", claims.clone()), Err(CelError::Evaluation(_))));
        assert!(matches!(eval("1 / 0", claims), Err(CelError::Evaluation(_))));
    }

    #[test]
    fn compile_errors_name_the_problem() {
        let env = env();
        assert!(matches!(env.compile("claims.sub +"), Err(CelError::Compile(m)) if m.contains("<input>:1")));
        assert_eq!(env.compile("other.sub").unwrap_err(), CelError::Compile("undeclared reference to 'other'".into()));
        // Comprehension variables are in scope inside their macro only.
        assert!(env.compile("claims.groups.all(g, g != '')").is_ok());
        assert!(env.compile("claims.groups.all(g, g != '') && g == ''").is_err());
        // cel-rust cannot evaluate message construction: refused up front.
        assert!(matches!(env.compile("Foo{a: 1}"), Err(CelError::Compile(m)) if m.contains("not supported")));
    }

    #[test]
    fn limits_bound_expressions_and_inputs() {
        let env = Environment::new(
            &["claims"],
            Limits {
                max_source_bytes: 64,
                max_input_bytes: 32,
                timeout: Duration::from_millis(50),
                ..Limits::default()
            },
        );
        assert!(matches!(env.compile(&"1 + ".repeat(20)), Err(CelError::TooComplex(_))));
        let deep = Environment::new(&["claims"], Limits::default());
        assert!(matches!(
            deep.compile("claims.a.all(x, claims.b.all(y, claims.c.all(z, true)))"),
            Err(CelError::TooComplex(m)) if m.contains("nests 3 comprehensions")
        ));
        assert!(deep.compile("claims.a.all(x, claims.b.all(y, true))").is_ok());
        assert!(matches!(deep.compile(&"(".repeat(200)), Err(CelError::Compile(_))));
        assert!(matches!(env.value_of(&json!({"k": "x".repeat(40)})), Err(CelError::InputTooLarge(_))));
        // lists.range is capped.
        let p = deep.compile("lists.range(1000000)").unwrap();
        let r = deep.evaluate(&p, &[]);
        assert!(matches!(&r, Err(CelError::Evaluation(m)) if m.contains("between 0 and 1024")), "{r:?}");
        let p = deep.compile("size(lists.range(10))").unwrap();
        assert!(matches!(deep.evaluate(&p, &[]), Ok(Value::Int(10))));
    }

    #[tokio::test]
    async fn bounded_evaluation_has_a_deadline() {
        let env =
            Arc::new(Environment::new(&["claims"], Limits { timeout: Duration::from_millis(20), ..Limits::default() }));
        let p = env.compile("lists.range(1024).all(x, lists.range(1024).all(y, x + y >= 0))").unwrap();
        let slow = p.clone();
        let r = env
            .evaluate_bounded(move |env| {
                // A million steps: well past the 20ms deadline.
                env.evaluate(&slow, &[])
            })
            .await;
        assert!(matches!(r, Err(CelError::Timeout(_))), "{r:?}");
        let fast = env.compile("1 + 1").unwrap();
        assert!(matches!(env.evaluate_bounded(move |env| env.evaluate(&fast, &[])).await, Ok(Value::Int(2))));
    }

    #[test]
    fn selects_finds_field_reads() {
        let env = env();
        assert!(env.compile("claims.email").unwrap().selects("claims", "email"));
        assert!(env.compile("has(claims.email_verified) && claims.x").unwrap().selects("claims", "email_verified"));
        assert!(!env.compile("claims.emails").unwrap().selects("claims", "email"));
        assert!(!env.compile("user.email").unwrap().selects("claims", "email"));
    }
}
