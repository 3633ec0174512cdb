//! The OpenAPI v2 document in the protobuf form kubectl and client-go ask
//! for (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`,
//! discovery's `OpenAPISchema()`): gnostic's `openapi.v2.Document` message.
//!
//! kube-apiserver makes these bytes by parsing its Swagger JSON with
//! gnostic's compiler (`openapi_v2.ParseDocument`) and marshalling the
//! result; this module does the same walk over the JSON with the same rules,
//! so the bytes are the ones kube-apiserver would send for the same JSON:
//! fields in field-number order, proto3 defaults omitted, a oneof decided the
//! way gnostic decides it (every alternative is tried, the last that fits
//! wins), keys gnostic does not allow rejected, and every free-form value
//! (vendor extensions, `default`, `example`, `enum` items) carried as YAML
//! text in `Any.yaml`, formatted as go-yaml v3 prints it. kubectl reads the
//! YAML back (`x-kubernetes-group-version-kind`, `x-kubernetes-patch-strategy`,
//! `x-kubernetes-patch-merge-key`, ...) to validate and to compute strategic
//! merge patches.

use serde_json::{Map, Value};

/// Converts a Swagger 2.0 JSON document into gnostic's `openapi.v2.Document`
/// protobuf bytes, or says which part of the document gnostic would reject.
pub fn swagger_to_protobuf(doc: &Value) -> Result<Vec<u8>, String> {
    build(&DOCUMENT, doc).map_err(|e| format!("the OpenAPI v2 document is not valid Swagger 2.0: {e}"))
}

// ---------------------------------------------------------------------------
// Protobuf output.

const VARINT: u32 = 0;
const I64: u32 = 1;
const LEN: u32 = 2;

/// One message being written.
#[derive(Default)]
struct Out(Vec<u8>);

impl Out {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn key(&mut self, field: u32, wire: u32) {
        self.varint(u64::from(field << 3 | wire));
    }

    /// A length-delimited field that is present even when empty (a set
    /// submessage, an element of a repeated field).
    fn bytes(&mut self, field: u32, b: &[u8]) {
        self.key(field, LEN);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    /// A proto3 string: absent when empty.
    fn string(&mut self, field: u32, s: &str) {
        if !s.is_empty() {
            self.bytes(field, s.as_bytes());
        }
    }

    /// A proto3 bool: absent when false.
    fn bool(&mut self, field: u32, b: bool) {
        if b {
            self.key(field, VARINT);
            self.varint(1);
        }
    }

    /// A proto3 int64: absent when zero.
    fn int64(&mut self, field: u32, v: i64) {
        if v != 0 {
            self.key(field, VARINT);
            self.varint(v as u64);
        }
    }

    /// A proto3 double: absent when +0 (Go's marshaller keeps -0).
    fn double(&mut self, field: u32, v: f64) {
        if v != 0.0 || v.is_sign_negative() {
            self.key(field, I64);
            self.0.extend_from_slice(&v.to_le_bytes());
        }
    }
}

// ---------------------------------------------------------------------------
// The messages, as gnostic's compiler reads them from the JSON.

/// A message's bytes, or why gnostic would reject the JSON.
type Built = Result<Vec<u8>, Problem>;

/// Builds one message from a JSON value.
type Builder = fn(&Value) -> Built;

/// What is wrong, and where: the path is kept innermost first while the
/// error travels out.
#[derive(Debug)]
struct Problem {
    path: Vec<String>,
    message: String,
}

impl Problem {
    fn new(message: impl Into<String>) -> Self {
        Problem { path: Vec::new(), message: message.into() }
    }

    fn at(mut self, segment: &str) -> Self {
        self.path.push(segment.to_owned());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // gnostic names the document `$root` in its error paths.
        let path: Vec<&str> = std::iter::once("$root").chain(self.path.iter().rev().map(String::as_str)).collect();
        write!(f, "{}: {}", path.join("."), self.message)
    }
}

/// How a JSON property becomes a field.
#[derive(Clone, Copy)]
enum Kind {
    /// A string; the allowed values when the list is not empty.
    Str(&'static [&'static str]),
    /// A repeated string from a JSON array; the allowed values when the list is not empty.
    Strs(&'static [&'static str]),
    Bool,
    Double,
    Int64,
    /// An `Any` holding the value as YAML.
    Any,
    /// A repeated `Any`, one per array item.
    Anys,
    /// A submessage.
    Msg(Builder),
    /// A repeated submessage, one per array item.
    Msgs(Builder),
    /// The `x-` properties as `NamedAny`s.
    VendorExtensions,
}

/// A JSON property and the field it fills.
struct Field(&'static str, u32, Kind);

/// A message read from a JSON object, with gnostic's checks.
struct Shape {
    /// Properties that must be present.
    required: &'static [&'static str],
    /// Whether properties other than the fields and `x-` ones are an error.
    closed: bool,
    /// The fields, in field-number order.
    fields: &'static [Field],
}

const SCHEMES: &[&str] = &["http", "https", "ws", "wss"];
const PARAM_TYPES: &[&str] = &["string", "number", "boolean", "integer", "array"];
const ITEM_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array"];
const FORM_TYPES: &[&str] = &["string", "number", "boolean", "integer", "array", "file"];
const FORMATS: &[&str] = &["csv", "ssv", "tsv", "pipes"];
const MULTI_FORMATS: &[&str] = &["csv", "ssv", "tsv", "pipes", "multi"];
const ANY: &[&str] = &[];

use Kind::{Any, Anys, Bool, Double, Int64, Msg, Msgs, Str, Strs, VendorExtensions};

static DOCUMENT: Shape = Shape {
    required: &["info", "paths", "swagger"],
    closed: true,
    fields: &[
        Field("swagger", 1, Str(&["2.0"])),
        Field("info", 2, Msg(info)),
        Field("host", 3, Str(ANY)),
        Field("basePath", 4, Str(ANY)),
        Field("schemes", 5, Strs(SCHEMES)),
        Field("consumes", 6, Strs(ANY)),
        Field("produces", 7, Strs(ANY)),
        Field("paths", 8, Msg(paths)),
        Field("definitions", 9, Msg(definitions)),
        Field("parameters", 10, Msg(parameter_definitions)),
        Field("responses", 11, Msg(response_definitions)),
        Field("security", 12, Msgs(security_requirement)),
        Field("securityDefinitions", 13, Msg(security_definitions)),
        Field("tags", 14, Msgs(tag)),
        Field("externalDocs", 15, Msg(external_docs)),
        Field("", 16, VendorExtensions),
    ],
};

static INFO: Shape = Shape {
    required: &["title", "version"],
    closed: true,
    fields: &[
        Field("title", 1, Str(ANY)),
        Field("version", 2, Str(ANY)),
        Field("description", 3, Str(ANY)),
        Field("termsOfService", 4, Str(ANY)),
        Field("contact", 5, Msg(contact)),
        Field("license", 6, Msg(license)),
        Field("", 7, VendorExtensions),
    ],
};

static CONTACT: Shape = Shape {
    required: &[],
    closed: true,
    fields: &[
        Field("name", 1, Str(ANY)),
        Field("url", 2, Str(ANY)),
        Field("email", 3, Str(ANY)),
        Field("", 4, VendorExtensions),
    ],
};

static LICENSE: Shape = Shape {
    required: &["name"],
    closed: true,
    fields: &[Field("name", 1, Str(ANY)), Field("url", 2, Str(ANY)), Field("", 3, VendorExtensions)],
};

static EXTERNAL_DOCS: Shape = Shape {
    required: &["url"],
    closed: true,
    fields: &[Field("description", 1, Str(ANY)), Field("url", 2, Str(ANY)), Field("", 3, VendorExtensions)],
};

static TAG: Shape = Shape {
    required: &["name"],
    closed: true,
    fields: &[
        Field("name", 1, Str(ANY)),
        Field("description", 2, Str(ANY)),
        Field("externalDocs", 3, Msg(external_docs)),
        Field("", 4, VendorExtensions),
    ],
};

static XML: Shape = Shape {
    required: &[],
    closed: true,
    fields: &[
        Field("name", 1, Str(ANY)),
        Field("namespace", 2, Str(ANY)),
        Field("prefix", 3, Str(ANY)),
        Field("attribute", 4, Bool),
        Field("wrapped", 5, Bool),
        Field("", 6, VendorExtensions),
    ],
};

static PATH_ITEM: Shape = Shape {
    required: &[],
    closed: true,
    fields: &[
        Field("$ref", 1, Str(ANY)),
        Field("get", 2, Msg(operation)),
        Field("put", 3, Msg(operation)),
        Field("post", 4, Msg(operation)),
        Field("delete", 5, Msg(operation)),
        Field("options", 6, Msg(operation)),
        Field("head", 7, Msg(operation)),
        Field("patch", 8, Msg(operation)),
        Field("parameters", 9, Msgs(parameters_item)),
        Field("", 10, VendorExtensions),
    ],
};

static OPERATION: Shape = Shape {
    required: &["responses"],
    closed: true,
    fields: &[
        Field("tags", 1, Strs(ANY)),
        Field("summary", 2, Str(ANY)),
        Field("description", 3, Str(ANY)),
        Field("externalDocs", 4, Msg(external_docs)),
        Field("operationId", 5, Str(ANY)),
        Field("produces", 6, Strs(ANY)),
        Field("consumes", 7, Strs(ANY)),
        Field("parameters", 8, Msgs(parameters_item)),
        Field("responses", 9, Msg(responses)),
        Field("schemes", 10, Strs(SCHEMES)),
        Field("deprecated", 11, Bool),
        Field("security", 12, Msgs(security_requirement)),
        Field("", 13, VendorExtensions),
    ],
};

static BODY_PARAMETER: Shape = Shape {
    required: &["in", "name", "schema"],
    closed: true,
    fields: &[
        Field("description", 1, Str(ANY)),
        Field("name", 2, Str(ANY)),
        Field("in", 3, Str(&["body"])),
        Field("required", 4, Bool),
        Field("schema", 5, Msg(schema)),
        Field("", 6, VendorExtensions),
    ],
};

/// The fields of header and path parameters (the same numbers).
macro_rules! header_like_parameter {
    ($name:ident, $in:expr, $required:expr) => {
        static $name: Shape = Shape {
            required: $required,
            closed: true,
            fields: &[
                Field("required", 1, Bool),
                Field("in", 2, Str($in)),
                Field("description", 3, Str(ANY)),
                Field("name", 4, Str(ANY)),
                Field("type", 5, Str(PARAM_TYPES)),
                Field("format", 6, Str(ANY)),
                Field("items", 7, Msg(primitives_items)),
                Field("collectionFormat", 8, Str(FORMATS)),
                Field("default", 9, Any),
                Field("maximum", 10, Double),
                Field("exclusiveMaximum", 11, Bool),
                Field("minimum", 12, Double),
                Field("exclusiveMinimum", 13, Bool),
                Field("maxLength", 14, Int64),
                Field("minLength", 15, Int64),
                Field("pattern", 16, Str(ANY)),
                Field("maxItems", 17, Int64),
                Field("minItems", 18, Int64),
                Field("uniqueItems", 19, Bool),
                Field("enum", 20, Anys),
                Field("multipleOf", 21, Double),
                Field("", 22, VendorExtensions),
            ],
        };
    };
}

header_like_parameter!(HEADER_PARAMETER, &["header"], &[]);
header_like_parameter!(PATH_PARAMETER, &["path"], &["required"]);

/// The fields of query and form parameters (the same numbers).
macro_rules! query_like_parameter {
    ($name:ident, $in:expr, $types:expr) => {
        static $name: Shape = Shape {
            required: &[],
            closed: true,
            fields: &[
                Field("required", 1, Bool),
                Field("in", 2, Str($in)),
                Field("description", 3, Str(ANY)),
                Field("name", 4, Str(ANY)),
                Field("allowEmptyValue", 5, Bool),
                Field("type", 6, Str($types)),
                Field("format", 7, Str(ANY)),
                Field("items", 8, Msg(primitives_items)),
                Field("collectionFormat", 9, Str(MULTI_FORMATS)),
                Field("default", 10, Any),
                Field("maximum", 11, Double),
                Field("exclusiveMaximum", 12, Bool),
                Field("minimum", 13, Double),
                Field("exclusiveMinimum", 14, Bool),
                Field("maxLength", 15, Int64),
                Field("minLength", 16, Int64),
                Field("pattern", 17, Str(ANY)),
                Field("maxItems", 18, Int64),
                Field("minItems", 19, Int64),
                Field("uniqueItems", 20, Bool),
                Field("enum", 21, Anys),
                Field("multipleOf", 22, Double),
                Field("", 23, VendorExtensions),
            ],
        };
    };
}

query_like_parameter!(FORM_DATA_PARAMETER, &["formData"], FORM_TYPES);
query_like_parameter!(QUERY_PARAMETER, &["query"], PARAM_TYPES);

/// The fields of `PrimitivesItems` and `Header` (the same numbers, `Header`
/// adds a description).
macro_rules! primitive_like {
    ($name:ident, $required:expr, $($extra:expr),*) => {
        static $name: Shape = Shape {
            required: $required,
            closed: true,
            fields: &[
                Field("type", 1, Str(ITEM_TYPES)),
                Field("format", 2, Str(ANY)),
                Field("items", 3, Msg(primitives_items)),
                Field("collectionFormat", 4, Str(FORMATS)),
                Field("default", 5, Any),
                Field("maximum", 6, Double),
                Field("exclusiveMaximum", 7, Bool),
                Field("minimum", 8, Double),
                Field("exclusiveMinimum", 9, Bool),
                Field("maxLength", 10, Int64),
                Field("minLength", 11, Int64),
                Field("pattern", 12, Str(ANY)),
                Field("maxItems", 13, Int64),
                Field("minItems", 14, Int64),
                Field("uniqueItems", 15, Bool),
                Field("enum", 16, Anys),
                Field("multipleOf", 17, Double),
                $($extra),*
            ],
        };
    };
}

primitive_like!(PRIMITIVES_ITEMS, &[], Field("", 18, VendorExtensions));
primitive_like!(HEADER, &["type"], Field("description", 18, Str(ANY)), Field("", 19, VendorExtensions));

static JSON_REFERENCE: Shape = Shape {
    required: &["$ref"],
    closed: false,
    fields: &[Field("$ref", 1, Str(ANY)), Field("description", 2, Str(ANY))],
};

static RESPONSE: Shape = Shape {
    required: &["description"],
    closed: true,
    fields: &[
        Field("description", 1, Str(ANY)),
        Field("schema", 2, Msg(schema_item)),
        Field("headers", 3, Msg(headers)),
        Field("examples", 4, Msg(examples)),
        Field("", 5, VendorExtensions),
    ],
};

static FILE_SCHEMA: Shape = Shape {
    required: &["type"],
    closed: true,
    fields: &[
        Field("format", 1, Str(ANY)),
        Field("title", 2, Str(ANY)),
        Field("description", 3, Str(ANY)),
        Field("default", 4, Any),
        Field("required", 5, Strs(ANY)),
        Field("type", 6, Str(&["file"])),
        Field("readOnly", 7, Bool),
        Field("externalDocs", 8, Msg(external_docs)),
        Field("example", 9, Any),
        Field("", 10, VendorExtensions),
    ],
};

static SCHEMA: Shape = Shape {
    required: &[],
    closed: true,
    fields: &[
        Field("$ref", 1, Str(ANY)),
        Field("format", 2, Str(ANY)),
        Field("title", 3, Str(ANY)),
        Field("description", 4, Str(ANY)),
        Field("default", 5, Any),
        Field("multipleOf", 6, Double),
        Field("maximum", 7, Double),
        Field("exclusiveMaximum", 8, Bool),
        Field("minimum", 9, Double),
        Field("exclusiveMinimum", 10, Bool),
        Field("maxLength", 11, Int64),
        Field("minLength", 12, Int64),
        Field("pattern", 13, Str(ANY)),
        Field("maxItems", 14, Int64),
        Field("minItems", 15, Int64),
        Field("uniqueItems", 16, Bool),
        Field("maxProperties", 17, Int64),
        Field("minProperties", 18, Int64),
        Field("required", 19, Strs(ANY)),
        Field("enum", 20, Anys),
        Field("additionalProperties", 21, Msg(additional_properties_item)),
        Field("type", 22, Msg(type_item)),
        Field("items", 23, Msg(items_item)),
        Field("allOf", 24, Msgs(schema)),
        Field("properties", 25, Msg(properties)),
        Field("discriminator", 26, Str(ANY)),
        Field("readOnly", 27, Bool),
        Field("xml", 28, Msg(xml)),
        Field("externalDocs", 29, Msg(external_docs)),
        Field("example", 30, Any),
        Field("", 31, VendorExtensions),
    ],
};

static BASIC_SECURITY: Shape = Shape {
    required: &["type"],
    closed: true,
    fields: &[Field("type", 1, Str(&["basic"])), Field("description", 2, Str(ANY)), Field("", 3, VendorExtensions)],
};

static API_KEY_SECURITY: Shape = Shape {
    required: &["in", "name", "type"],
    closed: true,
    fields: &[
        Field("type", 1, Str(&["apiKey"])),
        Field("name", 2, Str(ANY)),
        Field("in", 3, Str(&["header", "query"])),
        Field("description", 4, Str(ANY)),
        Field("", 5, VendorExtensions),
    ],
};

static OAUTH2_IMPLICIT: Shape = Shape {
    required: &["authorizationUrl", "flow", "type"],
    closed: true,
    fields: &[
        Field("type", 1, Str(&["oauth2"])),
        Field("flow", 2, Str(&["implicit"])),
        Field("scopes", 3, Msg(oauth2_scopes)),
        Field("authorizationUrl", 4, Str(ANY)),
        Field("description", 5, Str(ANY)),
        Field("", 6, VendorExtensions),
    ],
};

static OAUTH2_PASSWORD: Shape = Shape {
    required: &["flow", "tokenUrl", "type"],
    closed: true,
    fields: &[
        Field("type", 1, Str(&["oauth2"])),
        Field("flow", 2, Str(&["password"])),
        Field("scopes", 3, Msg(oauth2_scopes)),
        Field("tokenUrl", 4, Str(ANY)),
        Field("description", 5, Str(ANY)),
        Field("", 6, VendorExtensions),
    ],
};

static OAUTH2_APPLICATION: Shape = Shape {
    required: &["flow", "tokenUrl", "type"],
    closed: true,
    fields: &[
        Field("type", 1, Str(&["oauth2"])),
        Field("flow", 2, Str(&["application"])),
        Field("scopes", 3, Msg(oauth2_scopes)),
        Field("tokenUrl", 4, Str(ANY)),
        Field("description", 5, Str(ANY)),
        Field("", 6, VendorExtensions),
    ],
};

static OAUTH2_ACCESS_CODE: Shape = Shape {
    required: &["authorizationUrl", "flow", "tokenUrl", "type"],
    closed: true,
    fields: &[
        Field("type", 1, Str(&["oauth2"])),
        Field("flow", 2, Str(&["accessCode"])),
        Field("scopes", 3, Msg(oauth2_scopes)),
        Field("authorizationUrl", 4, Str(ANY)),
        Field("tokenUrl", 5, Str(ANY)),
        Field("description", 6, Str(ANY)),
        Field("", 7, VendorExtensions),
    ],
};

fn info(v: &Value) -> Built {
    build(&INFO, v)
}
fn contact(v: &Value) -> Built {
    build(&CONTACT, v)
}
fn license(v: &Value) -> Built {
    build(&LICENSE, v)
}
fn external_docs(v: &Value) -> Built {
    build(&EXTERNAL_DOCS, v)
}
fn tag(v: &Value) -> Built {
    build(&TAG, v)
}
fn xml(v: &Value) -> Built {
    build(&XML, v)
}
fn operation(v: &Value) -> Built {
    build(&OPERATION, v)
}
fn primitives_items(v: &Value) -> Built {
    build(&PRIMITIVES_ITEMS, v)
}
fn header(v: &Value) -> Built {
    build(&HEADER, v)
}
fn json_reference(v: &Value) -> Built {
    build(&JSON_REFERENCE, v)
}
fn response(v: &Value) -> Built {
    build(&RESPONSE, v)
}
fn schema(v: &Value) -> Built {
    build(&SCHEMA, v)
}
fn oauth2_scopes(v: &Value) -> Built {
    // Each scope is a NamedString; a value that is not a string is "".
    let mut out = Out::default();
    for (k, x) in entries(v) {
        let mut pair = Out::default();
        pair.string(1, k);
        pair.string(2, &string_scalar(x).unwrap_or_default());
        out.bytes(1, &pair.0);
    }
    Ok(out.0)
}

/// `Paths`: `x-` properties are vendor extensions (field 1), `/...` ones
/// path items (field 2); nothing else is allowed.
fn paths(v: &Value) -> Built {
    let invalid: Vec<&str> =
        entries(v).map(|(k, _)| k.as_str()).filter(|k| !k.starts_with("x-") && !k.starts_with('/')).collect();
    if !invalid.is_empty() {
        return Err(Problem::new(invalid_keys(&invalid)));
    }
    let mut out = Out::default();
    vendor_extensions(&mut out, 1, v);
    for (k, x) in entries(v).filter(|(k, _)| k.starts_with('/')) {
        let item = build(&PATH_ITEM, x).map_err(|e| e.at(k))?;
        named(&mut out, 2, k, &item);
    }
    Ok(out.0)
}

/// `Responses`: status codes and `default` (field 1), vendor extensions (field 2).
fn responses(v: &Value) -> Built {
    let is_code = |k: &str| k == "default" || (k.len() == 3 && k.bytes().all(|b| b.is_ascii_digit()));
    let invalid: Vec<&str> =
        entries(v).map(|(k, _)| k.as_str()).filter(|k| !is_code(k) && !k.starts_with("x-")).collect();
    if !invalid.is_empty() {
        return Err(Problem::new(invalid_keys(&invalid)));
    }
    let mut out = Out::default();
    for (k, x) in entries(v).filter(|(k, _)| is_code(k)) {
        let value = response_value(x).map_err(|e| e.at(k))?;
        named(&mut out, 1, k, &value);
    }
    vendor_extensions(&mut out, 2, v);
    Ok(out.0)
}

/// `ParametersItem`: oneof `Parameter` (1) or `JsonReference` (2).
fn parameters_item(v: &Value) -> Built {
    oneof(v, &[(1, parameter), (2, json_reference)], "ParametersItem")
}

/// `Parameter`: oneof `BodyParameter` (1) or `NonBodyParameter` (2).
fn parameter(v: &Value) -> Built {
    oneof(v, &[(1, body_parameter), (2, non_body_parameter)], "Parameter")
}

fn body_parameter(v: &Value) -> Built {
    build(&BODY_PARAMETER, v)
}

/// `NonBodyParameter`: oneof header (1), formData (2), query (3) or path (4)
/// parameter. (gnostic also asks for `in`, `name` and `type`, but drops that
/// complaint once an alternative fits.)
fn non_body_parameter(v: &Value) -> Built {
    oneof(
        v,
        &[
            (1, |v| build(&HEADER_PARAMETER, v)),
            (2, |v| build(&FORM_DATA_PARAMETER, v)),
            (3, |v| build(&QUERY_PARAMETER, v)),
            (4, |v| build(&PATH_PARAMETER, v)),
        ],
        "NonBodyParameter",
    )
}

/// `ResponseValue`: oneof `Response` (1) or `JsonReference` (2).
fn response_value(v: &Value) -> Built {
    oneof(v, &[(1, response), (2, json_reference)], "ResponseValue")
}

/// `SchemaItem`: oneof `Schema` (1) or `FileSchema` (2).
fn schema_item(v: &Value) -> Built {
    oneof(v, &[(1, schema), (2, |v| build(&FILE_SCHEMA, v))], "SchemaItem")
}

/// `SecurityDefinitionsItem`: oneof the six security schemes.
fn security_definitions_item(v: &Value) -> Built {
    oneof(
        v,
        &[
            (1, |v| build(&BASIC_SECURITY, v)),
            (2, |v| build(&API_KEY_SECURITY, v)),
            (3, |v| build(&OAUTH2_IMPLICIT, v)),
            (4, |v| build(&OAUTH2_PASSWORD, v)),
            (5, |v| build(&OAUTH2_APPLICATION, v)),
            (6, |v| build(&OAUTH2_ACCESS_CODE, v)),
        ],
        "SecurityDefinitionsItem",
    )
}

/// `AdditionalPropertiesItem`: oneof `Schema` (1) or `bool` (2). Like
/// gnostic, a boolean also reads as an (empty) schema first, and the later
/// alternative wins.
fn additional_properties_item(v: &Value) -> Built {
    let mut out = Out::default();
    if let Value::Bool(b) = v {
        out.key(2, VARINT);
        out.varint(u64::from(*b));
    } else {
        out.bytes(1, &schema(v)?);
    }
    Ok(out.0)
}

/// `TypeItem`: one type name or a list of them.
fn type_item(v: &Value) -> Built {
    let mut out = Out::default();
    match v {
        Value::Array(items) => {
            for item in items {
                let Some(text) = scalar_text(item) else {
                    return Err(Problem::new("has unexpected value for string array element"));
                };
                out.bytes(1, text.as_bytes());
            }
        }
        Value::Object(_) => return Err(Problem::new("has unexpected value for string array")),
        scalar => out.bytes(1, scalar_text(scalar).unwrap_or_default().as_bytes()),
    }
    Ok(out.0)
}

/// `ItemsItem`: gnostic reads `items` as one schema.
fn items_item(v: &Value) -> Built {
    let mut out = Out::default();
    out.bytes(1, &schema(v)?);
    Ok(out.0)
}

/// `StringArray`: the scalars of a list as strings ("" for the others).
fn string_array(v: &Value) -> Built {
    let mut out = Out::default();
    // gnostic walks the YAML node's children: a mapping's are its keys and
    // values in turn.
    let mut push = |x: &Value| out.bytes(1, string_scalar(x).unwrap_or_default().as_bytes());
    match v {
        Value::Array(items) => items.iter().for_each(&mut push),
        Value::Object(m) => {
            for (k, x) in m {
                push(&Value::String(k.clone()));
                push(x);
            }
        }
        _ => {}
    }
    Ok(out.0)
}

/// A map of names to messages (`Definitions`, `Properties`, `Headers`, ...):
/// one `Named*` message (name 1, value 2) per property, in field 1.
fn named_map(v: &Value, value: Builder) -> Built {
    let mut out = Out::default();
    for (k, x) in entries(v) {
        let bytes = value(x).map_err(|e| e.at(k))?;
        named(&mut out, 1, k, &bytes);
    }
    Ok(out.0)
}

fn definitions(v: &Value) -> Built {
    named_map(v, schema)
}
fn properties(v: &Value) -> Built {
    named_map(v, schema)
}
fn parameter_definitions(v: &Value) -> Built {
    named_map(v, parameter)
}
fn response_definitions(v: &Value) -> Built {
    named_map(v, response)
}
fn headers(v: &Value) -> Built {
    named_map(v, header)
}
fn examples(v: &Value) -> Built {
    named_map(v, |x| Ok(any(x)))
}
fn security_definitions(v: &Value) -> Built {
    named_map(v, security_definitions_item)
}
fn security_requirement(v: &Value) -> Built {
    named_map(v, string_array)
}

/// Picks a oneof's alternative: gnostic's compiler tries them all in order
/// and keeps the last that fits, which is the first that fits from the end.
fn oneof(v: &Value, alternatives: &[(u32, Builder)], name: &str) -> Built {
    let chosen = alternatives.iter().rev().find_map(|(field, b)| b(v).ok().map(|bytes| (*field, bytes)));
    match chosen {
        Some((field, bytes)) => {
            let mut out = Out::default();
            out.bytes(field, &bytes);
            Ok(out.0)
        }
        None => Err(Problem::new(format!("contains an invalid {name}"))),
    }
}

/// The properties of an object, or none: gnostic reads any other value as a
/// mapping without keys.
fn entries(v: &Value) -> impl Iterator<Item = (&String, &Value)> {
    v.as_object().into_iter().flat_map(Map::iter)
}

fn named(out: &mut Out, field: u32, name: &str, value: &[u8]) {
    let mut pair = Out::default();
    pair.string(1, name);
    pair.bytes(2, value);
    out.bytes(field, &pair.0);
}

/// An `Any` with the value as YAML (field 2).
fn any(v: &Value) -> Vec<u8> {
    let mut out = Out::default();
    out.string(2, &yaml(v));
    out.0
}

fn vendor_extensions(out: &mut Out, field: u32, v: &Value) {
    for (k, x) in entries(v).filter(|(k, _)| k.starts_with("x-")) {
        named(out, field, k, &any(x));
    }
}

fn invalid_keys(keys: &[&str]) -> String {
    let noun = if keys.len() == 1 { "property" } else { "properties" };
    format!("has invalid {noun}: {}", keys.join(", "))
}

/// A scalar as gnostic's `StringForScalarNode` reads it: strings, integers
/// (their text) and null ("").
fn string_scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if !n.is_f64() => Some(n.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// The text of any scalar, as YAML holds it.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        _ => None,
    }
}

/// Reads one message of `shape` from `v`.
fn build(shape: &Shape, v: &Value) -> Built {
    let m = v.as_object();
    let missing: Vec<&str> =
        shape.required.iter().copied().filter(|k| !m.is_some_and(|m| m.contains_key(*k))).collect();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 { "property" } else { "properties" };
        return Err(Problem::new(format!("is missing required {noun}: {}", missing.join(", "))));
    }
    if shape.closed {
        let invalid: Vec<&str> = entries(v)
            .map(|(k, _)| k.as_str())
            .filter(|k| !k.starts_with("x-") && !shape.fields.iter().any(|f| !f.0.is_empty() && f.0 == *k))
            .collect();
        if !invalid.is_empty() {
            return Err(Problem::new(invalid_keys(&invalid)));
        }
    }
    let mut out = Out::default();
    for Field(key, number, kind) in shape.fields {
        if let VendorExtensions = kind {
            vendor_extensions(&mut out, *number, v);
            continue;
        }
        let Some(x) = m.and_then(|m| m.get(*key)) else { continue };
        let unexpected = || Problem::new(format!("has unexpected value for {key}"));
        match *kind {
            Str(allowed) => {
                let s = string_scalar(x).ok_or_else(unexpected)?;
                if !allowed.is_empty() && !allowed.contains(&s.as_str()) {
                    return Err(unexpected());
                }
                out.string(*number, &s);
            }
            Strs(allowed) => {
                let Value::Array(items) = x else { return Err(unexpected()) };
                let values: Vec<String> = items.iter().filter_map(string_scalar).collect();
                if !allowed.is_empty() && !values.iter().all(|s| allowed.contains(&s.as_str())) {
                    return Err(unexpected());
                }
                for s in &values {
                    out.bytes(*number, s.as_bytes());
                }
            }
            Bool => out.bool(*number, x.as_bool().ok_or_else(unexpected)?),
            Double => out.double(*number, x.as_f64().ok_or_else(unexpected)?),
            Int64 => match x {
                Value::Number(n) if !n.is_f64() => out.int64(*number, n.as_i64().ok_or_else(unexpected)?),
                _ => return Err(unexpected()),
            },
            Any => out.bytes(*number, &any(x)),
            Anys => {
                for item in x.as_array().into_iter().flatten() {
                    out.bytes(*number, &any(item));
                }
            }
            Msg(b) => out.bytes(*number, &b(x).map_err(|e| e.at(key))?),
            Msgs(b) => {
                for item in x.as_array().into_iter().flatten() {
                    out.bytes(*number, &b(item).map_err(|e| e.at(key))?);
                }
            }
            VendorExtensions => {}
        }
    }
    Ok(out.0)
}

// ---------------------------------------------------------------------------
// YAML text for `Any`: what go-yaml v3's Marshal prints for the node gnostic
// parsed from the JSON, once gnostic has cleared its styles: block
// collections indented by 4 (a sequence item's content by 2 past its "- "),
// empty collections as `[]` / `{}`, scalars plain unless they would read back
// as another type or hold characters plain YAML cannot, multi-line strings
// as literal blocks, and the rest double-quoted. kubectl parses this text
// back; matching go-yaml keeps the bytes identical to kube-apiserver's.

const BEST_INDENT: i64 = 4;

/// The YAML text of a JSON value, with its trailing newline.
fn yaml(v: &Value) -> String {
    let mut e =
        Emitter { out: String::new(), column: 0, whitespace: true, indention: true, indent: -1, indents: vec![] };
    e.node(v, Parent::Root);
    // The document end starts a new line.
    e.indent = -1;
    e.write_indent();
    e.out
}

/// What holds the node being written; a sequence item indents its content
/// by two, everything else to the next multiple of four.
#[derive(Clone, Copy, PartialEq)]
enum Parent {
    Root,
    SequenceItem,
    Other,
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i64,
    indents: Vec<i64>,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
    }

    fn indicator(&mut self, text: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        text.chars().for_each(|c| self.put(c));
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, parent: Parent) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if parent == Parent::SequenceItem {
            self.indent += 2;
        } else {
            self.indent = BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT);
        }
    }

    fn restore_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, v: &Value, parent: Parent) {
        match v {
            Value::Array(items) if items.is_empty() => {
                self.indicator("[", true, true, false);
                self.indicator("]", false, false, false);
            }
            Value::Object(m) if m.is_empty() => {
                self.indicator("{", true, true, false);
                self.indicator("}", false, false, false);
            }
            Value::Array(items) => {
                self.increase_indent(false, parent);
                for item in items {
                    self.write_indent();
                    self.indicator("-", true, false, true);
                    self.node(item, Parent::SequenceItem);
                }
                self.restore_indent();
            }
            Value::Object(m) => {
                self.increase_indent(false, parent);
                for (k, x) in m {
                    self.write_indent();
                    let key = Analysis::of(k);
                    if !key.multiline && k.len() <= 128 {
                        self.scalar(k, true, Parent::Other, true);
                        self.indicator(":", false, false, false);
                    } else {
                        self.indicator("?", true, false, true);
                        self.scalar(k, true, Parent::Other, false);
                        self.write_indent();
                        self.indicator(":", true, false, true);
                    }
                    self.node(x, Parent::Other);
                }
                self.restore_indent();
            }
            Value::String(s) => self.scalar(s, true, parent, false),
            other => self.scalar(&scalar_text(other).unwrap_or_default(), false, parent, false),
        }
    }

    /// Writes a scalar; `is_string` when its tag is `!!str` (a string that
    /// would read back as another type must then be quoted).
    fn scalar(&mut self, value: &str, is_string: bool, parent: Parent, simple_key: bool) {
        let a = Analysis::of(value);
        let mut style = if value.contains('\n') {
            Style::Literal
        } else if is_string && !resolves_to_string(value) {
            Style::DoubleQuoted
        } else {
            Style::Plain
        };
        if simple_key && a.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && simple_key)) {
            style = Style::SingleQuoted;
        }
        if style == Style::SingleQuoted && !a.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!a.block_allowed || simple_key) {
            style = Style::DoubleQuoted;
        }
        self.increase_indent(true, parent);
        match style {
            Style::Plain => self.plain(value),
            Style::SingleQuoted => self.single_quoted(value),
            Style::DoubleQuoted => self.double_quoted(value),
            Style::Literal => self.literal(value),
        }
        self.restore_indent();
    }

    fn plain(&mut self, value: &str) {
        if !value.is_empty() && !self.whitespace {
            self.put(' ');
        }
        value.chars().for_each(|c| self.put(c));
        if !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn single_quoted(&mut self, value: &str) {
        self.indicator("'", true, false, false);
        let mut breaks = false;
        for c in value.chars() {
            if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
        self.indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn double_quoted(&mut self, value: &str) {
        self.indicator("\"", true, false, false);
        // go-yaml checks for a byte order mark at the start of the value,
        // whatever the position; with one, every character is escaped.
        let bom = value.starts_with('\u{FEFF}');
        for c in value.chars() {
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let short = match c {
                    '\0' => Some('0'),
                    '\u{07}' => Some('a'),
                    '\u{08}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{0B}' => Some('v'),
                    '\u{0C}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1B}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{A0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match short {
                    Some(s) => self.put(s),
                    None => {
                        let v = u32::from(c);
                        let (mark, digits) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(mark);
                        for k in (0..digits).rev() {
                            let digit = (v >> (k * 4)) & 0xF;
                            self.put(char::from_digit(digit, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
            } else {
                self.put(c);
            }
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, value: &str) {
        self.indicator("|", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match chars.as_slice() {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., before, _] if is_break(*before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.indicator(chomp, false, false, false);
        }
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }
}

/// What go-yaml's scalar analysis decides about a value.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(value: &str) -> Self {
        if value.is_empty() {
            return Analysis {
                multiline: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let chars: Vec<char> = value.chars().collect();
        let mut block_indicators = value.starts_with("---") || value.starts_with("...");
        let (mut line_breaks, mut special, mut tabs) = (false, false, false);
        let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
            (false, false, false, false);
        let (mut break_space, mut space_break) = (false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let mut preceded_by_whitespace = true;
        let last = chars.len() - 1;
        for (i, &c) in chars.iter().enumerate() {
            let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| n == ' ' || n == '\t');
            if i == 0 {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                        block_indicators = true
                    }
                    '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                    _ => {}
                }
            } else {
                match c {
                    ':' if followed_by_whitespace => block_indicators = true,
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if c == '\t' {
                tabs = true;
            } else if !is_printable(c) {
                special = true;
            }
            if c == ' ' {
                leading_space |= i == 0;
                trailing_space |= i == last;
                break_space |= previous_break;
                previous_space = true;
                previous_break = false;
            } else if is_break(c) {
                line_breaks = true;
                leading_break |= i == 0;
                trailing_break |= i == last;
                space_break |= previous_space;
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = c == ' ' || c == '\t' || c == '\0' || is_break(c);
        }
        let mut a = Analysis {
            multiline: line_breaks,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
        if leading_space || leading_break || trailing_space || trailing_break {
            a.block_plain_allowed = false;
        }
        if trailing_space {
            a.block_allowed = false;
        }
        if break_space {
            a.block_plain_allowed = false;
            a.single_quoted_allowed = false;
        }
        if space_break || tabs || special {
            a.block_plain_allowed = false;
            a.single_quoted_allowed = false;
        }
        if space_break || special {
            a.block_allowed = false;
        }
        if line_breaks || block_indicators {
            a.block_plain_allowed = false;
        }
        a
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// go-yaml's printable set (it escapes everything past the Basic Multilingual Plane).
fn is_printable(c: char) -> bool {
    let v = u32::from(c);
    c == '\n'
        || (0x20..=0x7E).contains(&v)
        || (0xA0..=0xD7FF).contains(&v)
        || ((0xE000..=0xFFFD).contains(&v) && v != 0xFEFF)
}

/// Whether a plain scalar with this text reads back as a string in go-yaml
/// v3 (not null, a bool, a number or a timestamp).
fn resolves_to_string(s: &str) -> bool {
    let Some(first) = s.bytes().next() else { return false };
    let hinted = matches!(
        first,
        b'+' | b'-' | b'0'..=b'9' | b'.' | b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~'
    );
    if !hinted {
        return true;
    }
    const SPECIAL: &[&str] = &[
        "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf",
        ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    match first {
        b'.' => s.parse::<f64>().is_err(),
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            !(go_int(&plain) || is_yaml_float(&plain))
        }
        _ => true,
    }
}

/// Whether Go's `ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` accepts `s`.
fn go_int(s: &str) -> bool {
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = unsigned.len() != s.len();
    let lower = unsigned.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    let Ok(magnitude) = u128::from_str_radix(digits, radix) else { return false };
    if negative {
        magnitude <= 1u128 << 63
    } else if signed {
        magnitude < 1u128 << 63
    } else {
        magnitude <= u128::from(u64::MAX)
    }
}

/// go-yaml's float syntax: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Whether go-yaml reads a plain scalar as a timestamp: `2006-1-2`, or that
/// date with a `T`/`t` time and zone, or a space and a time without zone.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = Parser { b, i: 5 };
    let Some(month) = p.number(1, 2) else { return false };
    if !p.eat(b'-') {
        return false;
    }
    let Some(day) = p.number(1, 2) else { return false };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if p.done() {
        return true;
    }
    let zoned = match p.next() {
        Some(b'T' | b't') => true,
        Some(b' ') => false,
        _ => return false,
    };
    let Some(hour) = p.number(1, 2) else { return false };
    if !p.eat(b':') {
        return false;
    }
    let Some(minute) = p.number(1, 2) else { return false };
    if !p.eat(b':') {
        return false;
    }
    let Some(second) = p.number(1, 2) else { return false };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    if p.eat(b'.') && p.number(1, 9).is_none() {
        return false;
    }
    if !zoned {
        return p.done();
    }
    match p.next() {
        Some(b'Z') => p.done(),
        Some(b'+' | b'-') => {
            p.number(2, 2).is_some_and(|h| h <= 23)
                && p.eat(b':')
                && p.number(2, 2).is_some_and(|m| m <= 59)
                && p.done()
        }
        _ => false,
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i - start < max && self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        let n = self.i - start;
        if n < min {
            return None;
        }
        std::str::from_utf8(&self.b[start..self.i]).ok()?.parse().ok()
    }

    fn eat(&mut self, c: u8) -> bool {
        let ok = self.b.get(self.i) == Some(&c);
        self.i += usize::from(ok);
        ok
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.b.get(self.i).copied();
        self.i += 1;
        c
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::catalog::Catalog;
    use crate::openapi::OpenApi;

    /// A protobuf field as the minimal decoder below sees it.
    #[derive(Debug)]
    enum Wire<'a> {
        Varint(u64),
        Fixed64(u64),
        Bytes(&'a [u8]),
    }

    /// Splits a message into its fields, independently of the writer above.
    fn decode(mut buf: &[u8]) -> Vec<(u32, Wire<'_>)> {
        fn varint(buf: &mut &[u8]) -> u64 {
            let mut v = 0u64;
            for shift in (0..64).step_by(7) {
                let b = buf[0];
                *buf = &buf[1..];
                v |= u64::from(b & 0x7F) << shift;
                if b < 0x80 {
                    break;
                }
            }
            v
        }
        let mut fields = Vec::new();
        while !buf.is_empty() {
            let key = varint(&mut buf);
            let field = (key >> 3) as u32;
            let wire = match key & 7 {
                0 => Wire::Varint(varint(&mut buf)),
                1 => {
                    let v = u64::from_le_bytes(buf[..8].try_into().unwrap());
                    buf = &buf[8..];
                    Wire::Fixed64(v)
                }
                2 => {
                    let n = varint(&mut buf) as usize;
                    let (v, rest) = buf.split_at(n);
                    buf = rest;
                    Wire::Bytes(v)
                }
                t => panic!("wire type {t} in field {field}"),
            };
            fields.push((field, wire));
        }
        fields
    }

    fn all(buf: &[u8], field: u32) -> Vec<&[u8]> {
        decode(buf)
            .into_iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, w)| match w {
                Wire::Bytes(b) => b,
                other => panic!("field {field} is {other:?}"),
            })
            .collect()
    }

    fn one(buf: &[u8], field: u32) -> &[u8] {
        let found = all(buf, field);
        assert_eq!(found.len(), 1, "field {field} of {:?}", decode(buf));
        found[0]
    }

    fn text(buf: &[u8], field: u32) -> String {
        all(buf, field).first().map(|b| String::from_utf8(b.to_vec()).unwrap()).unwrap_or_default()
    }

    fn varint(buf: &[u8], field: u32) -> Option<u64> {
        decode(buf).into_iter().find_map(|(f, w)| match w {
            Wire::Varint(v) if f == field => Some(v),
            _ => None,
        })
    }

    /// The value of the `Named*` entry called `name` among `field`'s entries.
    fn named<'a>(buf: &'a [u8], field: u32, name: &str) -> &'a [u8] {
        all(buf, field)
            .into_iter()
            .find(|pair| text(pair, 1) == name)
            .map(|pair| one(pair, 2))
            .unwrap_or_else(|| panic!("no {name} in field {field}"))
    }

    /// The YAML of the vendor extension `name` (a `NamedAny` in `field`).
    fn extension(buf: &[u8], field: u32, name: &str) -> String {
        text(named(buf, field, name), 2)
    }

    #[test]
    fn openapi_pb_document_has_what_kubectl_reads() {
        let openapi = OpenApi::new(Arc::new(Catalog::builtin()));
        let json: Value = serde_json::from_slice(&openapi.v2().body).unwrap();
        let started = std::time::Instant::now();
        let doc = swagger_to_protobuf(&json).unwrap();
        eprintln!("protobuf OpenAPI v2: {} bytes in {:?}", doc.len(), started.elapsed());
        assert_eq!(openapi.v2_protobuf().unwrap().body, doc, "the cached bytes are the converted document");
        assert_eq!(openapi.v2_protobuf().unwrap().hash, openapi.v2().hash, "the ETag is the JSON document's");

        // Document: swagger (1), info (2), paths (8), definitions (9),
        // security (12), security definitions (13).
        assert_eq!(text(&doc, 1), "2.0");
        assert_eq!(text(one(&doc, 2), 1), "Kubernetes");
        assert_eq!(text(one(&doc, 2), 2), "v1.35.0");
        let bearer = named(one(&doc, 13), 1, "BearerToken");
        let api_key = one(bearer, 2);
        assert_eq!(
            (text(api_key, 1), text(api_key, 2), text(api_key, 3)),
            ("apiKey".into(), "authorization".into(), "header".into())
        );
        let requirement = one(&doc, 12);
        assert_eq!(text(one(requirement, 1), 1), "BearerToken");

        // kubectl maps kinds to schemas by x-kubernetes-group-version-kind.
        let definitions = one(&doc, 9);
        let pod = named(definitions, 1, "io.k8s.api.core.v1.Pod");
        assert_eq!(
            extension(pod, 31, "x-kubernetes-group-version-kind"),
            "- group: \"\"\n  kind: Pod\n  version: v1\n"
        );
        assert_eq!(text(one(pod, 22), 1), "object", "type (22) is a TypeItem");
        let spec = named(one(pod, 25), 1, "spec");
        assert_eq!(text(spec, 1), "#/definitions/io.k8s.api.core.v1.PodSpec");

        // apply's strategic merge patches read patch strategies and merge keys.
        let pod_spec = named(definitions, 1, "io.k8s.api.core.v1.PodSpec");
        let containers = named(one(pod_spec, 25), 1, "containers");
        assert_eq!(extension(containers, 31, "x-kubernetes-patch-merge-key"), "name\n");
        assert_eq!(extension(containers, 31, "x-kubernetes-patch-strategy"), "merge\n");
        assert_eq!(extension(containers, 31, "x-kubernetes-list-map-keys"), "- name\n");
        assert_eq!(text(one(one(containers, 23), 1), 1), "#/definitions/io.k8s.api.core.v1.Container");
        assert!(all(pod_spec, 19).contains(&b"containers".as_slice()), "required (19)");
        let meta = named(definitions, 1, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        let labels = named(one(meta, 25), 1, "labels");
        let additional = one(labels, 21);
        assert_eq!(text(one(one(additional, 1), 22), 1), "string", "additionalProperties (21) holds a schema");

        // The PATCH operation tells kubectl that the server takes
        // fieldValidation and dryRun.
        let paths = one(&doc, 8);
        let item = named(paths, 2, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
        let patch = one(item, 8);
        assert_eq!(text(patch, 5), "patchAppsV1NamespacedDeployment");
        assert_eq!(extension(patch, 13, "x-kubernetes-action"), "patch\n");
        assert_eq!(
            extension(patch, 13, "x-kubernetes-group-version-kind"),
            "group: apps\nkind: Deployment\nversion: v1\n"
        );
        let mut query = Vec::new();
        let mut body = None;
        for parameters_item in all(patch, 8) {
            let parameter = one(parameters_item, 1);
            if let Some(b) = all(parameter, 1).first() {
                assert_eq!(text(b, 3), "body");
                body = Some(text(one(b, 5), 1));
                continue;
            }
            let q = one(one(parameter, 2), 3);
            assert_eq!(text(q, 2), "query");
            assert_eq!(varint(q, 20), Some(1), "uniqueItems (20)");
            query.push((text(q, 4), text(q, 6)));
        }
        assert_eq!(body.as_deref(), Some("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"));
        assert!(query.contains(&("fieldValidation".into(), "string".into())), "{query:?}");
        assert!(query.contains(&("dryRun".into(), "string".into())), "{query:?}");
        assert!(query.contains(&("force".into(), "boolean".into())), "{query:?}");
        // Path-level parameters: name and namespace are path parameters (4).
        let path_params: Vec<String> = all(item, 9)
            .into_iter()
            .filter_map(|p| {
                all(one(p, 1), 2).first().and_then(|non_body| all(non_body, 4).first().map(|path| text(path, 4)))
            })
            .collect();
        assert_eq!(path_params, ["name", "namespace"]);
        // Responses: 200 with a schema.
        let ok = one(named(one(patch, 9), 1, "200"), 1);
        assert_eq!(text(ok, 1), "OK");
        assert_eq!(text(one(one(ok, 2), 1), 1), "#/definitions/io.k8s.api.apps.v1.Deployment");
    }

    #[test]
    fn openapi_pb_oneofs_defaults_and_checks_follow_gnostic() {
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1", "x-info": {"a": [1, 2]}},
            "paths": {
                "x-paths": true,
                "/p": {
                    "get": {
                        "parameters": [
                            {"$ref": "#/parameters/shared"},
                            {"name": "f", "in": "formData", "type": "file"},
                            {"name": "h", "in": "header", "type": "integer", "minimum": 0, "maximum": 1.5, "default": 3},
                        ],
                        "responses": {"default": {"$ref": "#/responses/r"}, "204": {"description": ""}},
                        "deprecated": false,
                    },
                },
            },
            "definitions": {
                "closed": {"type": "object", "additionalProperties": false, "minProperties": 0, "maxLength": 7, "enum": ["a", "true"]},
                "files": {"type": ["string", "null"], "items": {}},
            },
        });
        let bytes = swagger_to_protobuf(&doc).unwrap();
        assert_eq!(extension(one(&bytes, 2), 7, "x-info"), "a:\n    - 1\n    - 2\n");
        let paths = one(&bytes, 8);
        assert_eq!(extension(paths, 1, "x-paths"), "true\n");
        let get = one(named(paths, 2, "/p"), 2);
        assert_eq!(varint(get, 11), None, "a false bool is the proto3 default");
        let params = all(get, 8);
        assert_eq!(text(one(params[0], 2), 1), "#/parameters/shared", "a reference is a JsonReference (2)");
        let form = one(one(one(params[1], 1), 2), 2);
        assert_eq!((text(form, 4), text(form, 6)), ("f".into(), "file".into()));
        let header = one(one(one(params[2], 1), 2), 1);
        assert_eq!(text(one(header, 9), 2), "3\n", "default (9) is YAML");
        let maximum = decode(header).into_iter().find_map(|(f, w)| match w {
            Wire::Fixed64(v) if f == 10 => Some(f64::from_bits(v)),
            _ => None,
        });
        assert_eq!(maximum, Some(1.5));
        assert!(!decode(header).iter().any(|(f, _)| *f == 12), "a zero minimum is omitted");
        let responses = one(get, 9);
        assert_eq!(text(one(named(responses, 1, "default"), 2), 1), "#/responses/r");
        let no_content = named(responses, 1, "204");
        assert!(one(no_content, 1).is_empty(), "a Response with an empty description is present and empty");

        let definitions = one(&bytes, 9);
        let closed = named(definitions, 1, "closed");
        assert_eq!(one(closed, 21), [0x10, 0x00], "additionalProperties: false is the boolean alternative");
        assert_eq!(varint(closed, 11), Some(7));
        assert_eq!(varint(closed, 18), None);
        let enums: Vec<String> = all(closed, 20).into_iter().map(|a| text(a, 2)).collect();
        assert_eq!(enums, ["a\n", "\"true\"\n"]);
        let files = named(definitions, 1, "files");
        assert_eq!(all(one(files, 22), 1), [b"string".as_slice(), b"null"]);
        assert_eq!(one(one(files, 23), 1), b"", "items: {{}} is one empty schema");

        // What gnostic rejects, kube-apiserver cannot serve.
        let mut bad = doc.clone();
        bad["definitions"]["closed"]["nullable"] = json!(true);
        let err = swagger_to_protobuf(&bad).unwrap_err();
        assert!(err.ends_with("$root.definitions.closed: has invalid property: nullable"), "{err}");
        let mut bad = doc.clone();
        bad["paths"]["/p"]["get"]["parameters"][1]["in"] = json!("cookie");
        assert!(swagger_to_protobuf(&bad).unwrap_err().contains("invalid ParametersItem"));
        let mut bad = doc.clone();
        bad["definitions"]["closed"]["maxLength"] = json!(1.5);
        assert!(swagger_to_protobuf(&bad).unwrap_err().contains("unexpected value for maxLength"));
        assert!(swagger_to_protobuf(&json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}})).is_err());
    }

    #[test]
    fn openapi_pb_yaml_is_go_yaml_v3s() {
        // The expected texts are go-yaml v3's output for gnostic's parse of
        // the same JSON.
        let long_key = "k".repeat(130);
        let cases: Vec<(Value, String)> = vec![
            (json!(""), "\"\"\n".into()),
            (json!("true"), "\"true\"\n".into()),
            (json!("yes"), "yes\n".into()),
            (json!("1"), "\"1\"\n".into()),
            (json!("0x1F"), "\"0x1F\"\n".into()),
            (json!("08"), "\"08\"\n".into()),
            (json!("1_000"), "\"1_000\"\n".into()),
            (json!(".5"), "\".5\"\n".into()),
            (json!("9223372036854775808"), "\"9223372036854775808\"\n".into()),
            (json!("0xFFFFFFFFFFFFFFFFF"), "0xFFFFFFFFFFFFFFFFF\n".into()),
            (json!("2024-01-01"), "\"2024-01-01\"\n".into()),
            (json!("2024-13-01"), "2024-13-01\n".into()),
            (json!("<<"), "<<\n".into()),
            (json!("- a"), "'- a'\n".into()),
            (json!("a: b"), "'a: b'\n".into()),
            (json!("a #b"), "'a #b'\n".into()),
            (json!("a#b"), "a#b\n".into()),
            (json!("[a]"), "'[a]'\n".into()),
            (json!("---"), "'---'\n".into()),
            (json!(" a"), "' a'\n".into()),
            (json!("a\nb"), "|-\n    a\n    b\n".into()),
            (json!("a\n"), "|\n    a\n".into()),
            (json!("a\n\n"), "|+\n    a\n\n".into()),
            (json!("\na"), "|4-\n    a\n".into()),
            (json!("a \nb"), "\"a \\nb\"\n".into()),
            (json!("a\tb"), "\"a\\tb\"\n".into()),
            (json!("日本"), "日本\n".into()),
            (json!("😀"), "\"\\U0001F600\"\n".into()),
            (json!("\u{feff}a"), "\"\\uFEFF\\x61\"\n".into()),
            (json!("it's"), "it's\n".into()),
            (json!("self.all(x, x in ['a','b'])"), "self.all(x, x in ['a','b'])\n".into()),
            (json!("has(self.x) ? self.x : 'y'"), "'has(self.x) ? self.x : ''y'''\n".into()),
            (json!(0), "0\n".into()),
            (json!(1.5), "1.5\n".into()),
            (json!(100.0), "100.0\n".into()),
            // gnostic keeps a number's text as the JSON document spells it.
            (json!(1e300), format!("{}\n", serde_json::to_string(&json!(1e300)).unwrap())),
            (json!(12345678901234567890u64), "12345678901234567890\n".into()),
            (json!(false), "false\n".into()),
            (json!(null), "null\n".into()),
            (json!([]), "[]\n".into()),
            (json!({}), "{}\n".into()),
            (json!([1, [2, 3]]), "- 1\n- - 2\n  - 3\n".into()),
            (json!({"a": {"b": [1, {"c": "d"}]}}), "a:\n    b:\n        - 1\n        - c: d\n".into()),
            (json!([{"a": 1, "b": []}]), "- a: 1\n  b: []\n".into()),
            (
                json!({"a": [{"b": {"c": [1, 2]}}]}),
                "a:\n    - b:\n        c:\n            - 1\n            - 2\n".into(),
            ),
            (json!({"a": [[1, 2], [3]]}), "a:\n    - - 1\n      - 2\n    - - 3\n".into()),
            (json!({"k": "a\nb"}), "k: |-\n    a\n    b\n".into()),
            (json!([{"a": "x\ny"}]), "- a: |-\n    x\n    y\n".into()),
            (json!({"k": " a\nb"}), "k: |4-\n     a\n    b\n".into()),
            (json!({"a\nb": 1}), "? |-\n    a\n    b\n: 1\n".into()),
            (
                json!({"": 1, "1": 1, "true": "x", "a: b": null}),
                "\"\": 1\n\"1\": 1\n'a: b': null\n\"true\": x\n".into(),
            ),
            (json!({ long_key.clone(): 1 }), format!("? {long_key}\n: 1\n")),
            (
                json!([{"discriminator": "type", "fields-to-discriminateBy": {"a": "A"}}]),
                "- discriminator: type\n  fields-to-discriminateBy:\n    a: A\n".into(),
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(yaml(&value), expected, "{value}");
        }
    }
}
