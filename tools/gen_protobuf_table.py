#!/usr/bin/env python3
"""Generate api/src/protobuf/messages.json, the table behind kubox's
JSON <-> Kubernetes-protobuf transcoder.

Sources (Python 3.11, standard library only):

  K8S_PB_SRC   the `src` directory of the k8s-pb 0.9.0 crate (Kubernetes 1.35
               protos as prost-generated Rust). Its `#[prost(...)]` attributes
               give every field's tag, wire kind, label and message type.
  DEFINITIONS  kubernetes-validate 1.37.0's
               kubernetes-json-schema/v1.35.0-local/_definitions.json, the
               Kubernetes OpenAPI definitions. They give the JSON field names
               (prost snake_cased them), the `required` lists and the
               group/version/kinds.
  --go-src DIR optional: a directory holding the Go API packages of Kubernetes
               1.35 laid out by import path (DIR/k8s.io/api,
               DIR/k8s.io/apimachinery, DIR/k8s.io/apiextensions-apiserver,
               DIR/k8s.io/kube-aggregator, DIR/k8s.io/metrics, each at tag
               v0.35.0). From the Go struct tags it takes (a) the JSON names of
               messages that have no OpenAPI definition, (b) which fields Go's
               encoding/json drops when zero (a non-pointer scalar with
               `omitempty`, a struct with `omitzero`), so that decoding the
               protobuf a Go client wrote gives the JSON kube-apiserver would
               show, and (c) a cross-check of every JSON name and inline field.

Without arguments the script looks for the sources in their usual places
(~/.cargo/registry/src/*/k8s-pb-0.9.0/src, /tmp/kv/whl/..., /tmp/k8s-go).
The committed table was generated with all three:

  pip download kubernetes-validate==1.37.0 --no-deps -d /tmp/kv
  unzip -q /tmp/kv/kubernetes_validate-1.37.0-*.whl -d /tmp/kv/whl
  for r in api apimachinery apiextensions-apiserver kube-aggregator metrics; do
    git clone -q --depth 1 --branch v0.35.0 https://github.com/kubernetes/$r /tmp/k8s-go/k8s.io/$r
  done
  python3 tools/gen_protobuf_table.py \
    ~/.cargo/registry/src/index.crates.io-*/k8s-pb-0.9.0/src \
    /tmp/kv/whl/kubernetes_validate/kubernetes-json-schema/v1.35.0-local/_definitions.json \
    --go-src /tmp/k8s-go

It also writes prost_dispatch.rs beside messages.json: test-only Rust that
names the k8s-pb type of every message, for the wire-compatibility tests.

The output is deterministic: messages sorted by definition name, fields by tag.
The generator stops with an error on any ambiguity or unmatched name, except
for the messages and fields that have no OpenAPI counterpart, which it lists.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "api", "src", "protobuf", "messages.json")

# Packages that are not part of a Kubernetes API server (apimachinery's test group).
SKIPPED_MODULES = {("apimachinery", "pkg", "apis", "testapigroup", "v1")}

SCALARS = {"string", "bool", "int32", "int64", "uint32", "uint64", "double", "float", "bytes",
           "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"}

META = "io.k8s.apimachinery.pkg.apis.meta.v1."
APIEXT = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions."

# Messages whose JSON form is not an object of their proto fields
# (custom MarshalJSON / UnmarshalJSON in Go, or a Go slice type).
SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "int_or_string",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "quantity",
    "io.k8s.apimachinery.pkg.api.resource.QuantityValue": "quantity",
    META + "Time": "time",
    META + "MicroTime": "micro_time",
    META + "Duration": "duration",
    META + "FieldsV1": "raw_json",
    META + "Verbs": "string_array",
    META + "GroupVersion": "group_version",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "raw_json",
}
for _v in ("v1", "v1beta1"):
    SPECIAL[APIEXT + _v + ".JSON"] = "raw_json"
    SPECIAL[APIEXT + _v + ".JSONSchemaPropsOrArray"] = "schema_or_array"
    SPECIAL[APIEXT + _v + ".JSONSchemaPropsOrBool"] = "schema_or_bool"
    SPECIAL[APIEXT + _v + ".JSONSchemaPropsOrStringArray"] = "schema_or_string_array"
for _g in ("authentication.v1", "authentication.v1beta1", "authorization.v1",
           "authorization.v1beta1", "certificates.v1", "certificates.v1beta1"):
    SPECIAL["io.k8s.api." + _g + ".ExtraValue"] = "string_array"

# Kinds kube-apiserver encodes in protobuf whose types have no OpenAPI
# definition (and so no x-kubernetes-group-version-kind).
EXTRA_GVKS = {
    META + "PartialObjectMetadata": [("meta.k8s.io", "v1", "PartialObjectMetadata"),
                                     ("meta.k8s.io", "v1beta1", "PartialObjectMetadata")],
    META + "PartialObjectMetadataList": [("meta.k8s.io", "v1", "PartialObjectMetadataList")],
    "io.k8s.apimachinery.pkg.apis.meta.v1beta1.PartialObjectMetadataList":
        [("meta.k8s.io", "v1beta1", "PartialObjectMetadataList")],
    "io.k8s.api.apidiscovery.v2.APIGroupDiscoveryList":
        [("apidiscovery.k8s.io", "v2", "APIGroupDiscoveryList")],
    "io.k8s.api.apidiscovery.v2beta1.APIGroupDiscoveryList":
        [("apidiscovery.k8s.io", "v2beta1", "APIGroupDiscoveryList")],
    # kube-apiserver's service IP and node port allocators keep these in etcd.
    "io.k8s.api.core.v1.RangeAllocation": [("", "v1", "RangeAllocation")],
    "io.k8s.api.admission.v1.AdmissionReview": [("admission.k8s.io", "v1", "AdmissionReview")],
    "io.k8s.api.admission.v1beta1.AdmissionReview":
        [("admission.k8s.io", "v1beta1", "AdmissionReview")],
}

# runtime.Unknown's TypeMeta is `json:",inline"` in Go, but Unknown never
# travels as JSON; kubox names its fields after the proto fields instead.
NOT_INLINE = {("io.k8s.apimachinery.pkg.runtime.Unknown", 1)}


def fail(msg: str) -> None:
    print(f"gen_protobuf_table: error: {msg}", file=sys.stderr)
    sys.exit(1)


def norm(name: str) -> str:
    """Normalises a field name for matching prost names with JSON names."""
    if name.startswith("r#"):
        name = name[2:]
    return re.sub(r"[_\-$]", "", name).lower()


def lower_camel(snake: str) -> str:
    if snake.startswith("r#"):
        snake = snake[2:]
    parts = snake.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


# ---------------------------------------------------------------- k8s-pb ----

@dataclass
class PbField:
    rust_name: str
    tag: int
    kind: str            # scalar kind, or "message"
    label: str           # "optional", "repeated", "map"
    msg: tuple | None    # (module path tuple, struct name) for messages
    map_key: str | None = None
    map_value: str | None = None   # scalar kind or "message"


@dataclass
class PbMessage:
    module: tuple
    name: str
    fields: list


@dataclass
class PbResource:
    api_version: str
    kind: str


PROST_ATTR = re.compile(r"#\[prost\((.*?)\)\]\s*pub\s+((?:r#)?\w+)\s*:\s*(.*?),\s*(?=#\[prost|$)", re.S)


def resolve_path(module: tuple, path: str) -> tuple:
    segs = path.split("::")
    mod = list(module)
    while segs and segs[0] == "super":
        segs.pop(0)
        if not mod:
            fail(f"cannot resolve {path} from {'::'.join(module)}")
        mod.pop()
    if segs and segs[0] == "crate":
        segs.pop(0)
        mod = []
    return tuple(mod + segs[:-1]), segs[-1]


def strip_rust_type(ty: str) -> str:
    ty = re.sub(r"\s+", "", ty).replace(",>", ">")
    for wrapper in ("::core::option::Option<", "::prost::alloc::vec::Vec<", "::prost::alloc::boxed::Box<"):
        while ty.startswith(wrapper):
            ty = ty[len(wrapper):-1]
    return ty


def parse_prost_field(module: tuple, struct: str, attr: str, rust_name: str, ty: str) -> PbField:
    parts = [p.strip() for p in re.findall(r'(?:[^,"]|"[^"]*")+', attr)]
    tag = None
    kind = label = None
    map_key = map_value = None
    for p in parts:
        m = re.fullmatch(r'tag\s*=\s*"(\d+)"', p)
        if m:
            tag = int(m.group(1))
            continue
        m = re.fullmatch(r'(?:btree_map|hash_map|map)\s*=\s*"\s*(\w+)\s*,\s*(\w+)\s*"', p)
        if m:
            label, kind = "map", "map"
            map_key, map_value = m.group(1), m.group(2)
            continue
        m = re.fullmatch(r'bytes(?:\s*=\s*"\w+")?', p)
        if m:
            kind = "bytes"
            continue
        if p in SCALARS or p == "message":
            kind = p
        elif p in ("optional", "repeated", "required"):
            label = "optional" if p == "required" else p
        elif p in ("boxed",) or p.startswith("packed") or p.startswith("default"):
            pass
        elif p.startswith("enumeration") or p.startswith("oneof") or p == "group":
            fail(f"{'::'.join(module)}::{struct}.{rust_name}: unsupported prost attribute {p}")
        else:
            fail(f"{'::'.join(module)}::{struct}.{rust_name}: unknown prost attribute {p}")
    if tag is None or kind is None or label is None:
        fail(f"{'::'.join(module)}::{struct}.{rust_name}: incomplete prost attribute {attr}")
    msg = None
    if kind == "message" or map_value == "message":
        inner = strip_rust_type(ty)
        if label == "map":
            m = re.fullmatch(r"::prost::alloc::collections::(?:BTreeMap|HashMap)<::prost::alloc::string::String,(.*)>", inner)
            if not m:
                fail(f"{struct}.{rust_name}: cannot read map type {ty}")
            inner = m.group(1)
        msg = resolve_path(module, inner)
    return PbField(rust_name, tag, kind, label, msg, map_key, map_value)


def parse_k8s_pb(src: str) -> tuple[dict, dict]:
    messages: dict[tuple, PbMessage] = {}
    resources: dict[tuple, list] = {}
    for path in sorted(glob.glob(os.path.join(src, "**", "mod.rs"), recursive=True)):
        module = tuple(os.path.relpath(os.path.dirname(path), src).split(os.sep))
        if module in SKIPPED_MODULES:
            continue
        text = open(path, encoding="utf-8").read()
        # Doc comments carry Go comments that may contain anything.
        text = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("///"))
        for m in re.finditer(r"#\[derive\(([^)]*)\)\]\s*pub struct (\w+)\s*\{(.*?)\n?\}", text, re.S):
            if "::prost::Message" not in m.group(1):
                continue
            name, body = m.group(2), m.group(3)
            fields = [parse_prost_field(module, name, a, n, t) for a, n, t in PROST_ATTR.findall(body.strip())]
            if body.count("#[prost(") != len(fields):
                fail(f"{'::'.join(module)}::{name}: parsed {len(fields)} of {body.count('#[prost(')} fields")
            tags = [f.tag for f in fields]
            if len(set(tags)) != len(tags):
                fail(f"{'::'.join(module)}::{name}: duplicate tags")
            messages[(module, name)] = PbMessage(module, name, sorted(fields, key=lambda f: f.tag))
        for m in re.finditer(r"impl crate::Resource for (\w+) \{(.*?)\n\}", text, re.S):
            av = re.search(r'API_VERSION: &\'static str = "([^"]*)"', m.group(2))
            kind = re.search(r'KIND: &\'static str = "([^"]*)"', m.group(2))
            if av and kind:
                resources.setdefault((module, m.group(1)), []).append(PbResource(av.group(1), kind.group(1)))
    if not messages:
        fail(f"no prost messages found under {src}")
    return messages, resources


def package_of(module: tuple) -> str:
    """io.k8s.* package (OpenAPI definition prefix) of a k8s-pb module."""
    return "io.k8s." + ".".join((module[0].replace("_", "-"),) + module[1:])


def go_dir_of(go_root: str, module: tuple) -> str:
    return os.path.join(go_root, "k8s.io", module[0].replace("_", "-"), *module[1:])


# ------------------------------------------------------------------- Go -----

@dataclass
class GoField:
    name: str | None     # Go field name, None when embedded
    go_type: str
    json_name: str      # "" when the json tag is absent or has no name
    json_opts: set
    proto_name: str | None
    tag: int


@dataclass
class GoPackage:
    structs: dict = field(default_factory=dict)      # type name -> {tag: GoField}
    aliases: dict = field(default_factory=dict)      # type name -> (import path, type name)
    model_names: dict = field(default_factory=dict)  # type name -> OpenAPI model name


GO_FIELD = re.compile(r"^\s*(?:(\w+)\s+)?([\w.*\[\]]+(?:\[[\w.*]+\][\w.*\[\]]+)?)\s+`([^`]*)`")


def parse_go_package(directory: str) -> GoPackage | None:
    if not os.path.isdir(directory):
        return None
    pkg = GoPackage()
    for path in sorted(glob.glob(os.path.join(directory, "*.go"))):
        base = os.path.basename(path)
        if base.endswith("_test.go") or base.endswith(".pb.go"):
            continue
        text = open(path, encoding="utf-8").read()
        if base == "zz_generated.model_name.go":
            for m in re.finditer(r'func \(in (\w+)\) OpenAPIModelName\(\) string \{\s*return "([^"]+)"', text):
                pkg.model_names[m.group(1)] = m.group(2)
            continue
        if base.startswith("zz_generated"):
            continue
        imports = {}
        for m in re.finditer(r'^\s*(?:(\w+)\s+)?"(k8s\.io/[^"]+)"', text, re.M):
            imports[m.group(1) or m.group(2).rsplit("/", 1)[-1]] = m.group(2)
        for m in re.finditer(r"^type (\w+) =? ?(\w+)\.(\w+)$", text, re.M):
            if m.group(2) in imports:
                pkg.aliases[m.group(1)] = (imports[m.group(2)], m.group(3))
        for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", text, re.S | re.M):
            fields = {}
            for line in m.group(2).split("\n"):
                if line.lstrip().startswith("//"):
                    continue
                fm = GO_FIELD.match(line)
                if not fm:
                    continue
                tag = fm.group(3)
                pm = re.search(r'protobuf:"([^"]*)"', tag)
                if not pm or pm.group(1) == "-":
                    continue
                pparts = pm.group(1).split(",")
                if len(pparts) < 2 or not pparts[1].isdigit():
                    continue
                jm = re.search(r'json:"([^"]*)"', tag)
                jparts = jm.group(1).split(",") if jm else [""]
                pname = next((p[5:] for p in pparts if p.startswith("name=")), None)
                number = int(pparts[1])
                fields[number] = GoField(fm.group(1), fm.group(2), jparts[0], set(jparts[1:]), pname, number)
            pkg.structs[m.group(1)] = fields
    return pkg


# -------------------------------------------------------------- OpenAPI -----

def load_definitions(path: str) -> dict:
    doc = json.load(open(path, encoding="utf-8"))
    defs = doc.get("definitions") or doc.get("$defs")
    if not isinstance(defs, dict):
        fail(f"{path}: no definitions")
    return defs


def prop_is_array(schema: dict) -> bool:
    t = schema.get("type")
    return t == "array" or (isinstance(t, list) and "array" in t)


# ------------------------------------------------------------- generator ----

class Generator:
    def __init__(self, pb_src: str, defs_path: str, go_root: str | None):
        self.messages, self.resources = parse_k8s_pb(pb_src)
        self.defs = load_definitions(defs_path)
        self.go_root = go_root
        self.go_pkgs: dict[tuple, GoPackage | None] = {}
        self.names: dict[tuple, str] = {}          # (module, struct) -> definition name
        self.go_types: dict[tuple, str | None] = {}  # (module, struct) -> Go type name
        self.no_openapi_messages: list[str] = []
        self.no_openapi_fields: list[str] = []
        self.derived_names: list[str] = []
        self.unproto_props: list[str] = []

    def go_package(self, module: tuple) -> GoPackage | None:
        if self.go_root is None:
            return None
        if module not in self.go_pkgs:
            self.go_pkgs[module] = parse_go_package(go_dir_of(self.go_root, module))
            if self.go_pkgs[module] is None:
                fail(f"--go-src has no package for {'/'.join(module)} ({go_dir_of(self.go_root, module)})")
        return self.go_pkgs[module]

    def go_struct(self, module: tuple, type_name: str | None) -> dict | None:
        """Tag -> GoField of a Go struct, following `type X otherpkg.Y`."""
        go = self.go_package(module)
        if go is None or type_name is None:
            return None
        for _ in range(4):
            if type_name in go.structs:
                return go.structs[type_name]
            if type_name not in go.aliases:
                return None
            path, type_name = go.aliases[type_name]
            go = parse_go_package(os.path.join(self.go_root, *path.split("/")))
            if go is None:
                return None
        return None

    def name_messages(self) -> None:
        by_lower: dict[str, list[str]] = {}
        for d in self.defs:
            by_lower.setdefault(d.lower(), []).append(d)
        for key in sorted(self.messages):
            module, struct = key
            pkg = package_of(module)
            go = self.go_package(module)
            go_type = None
            if go is not None:
                hits = [t for t in list(go.structs) + list(go.aliases) if t.lower() == struct.lower()]
                if len(hits) > 1:
                    fail(f"{pkg}.{struct}: several Go types match: {hits}")
                go_type = hits[0] if hits else None
                if go_type is None:
                    hits = [t for t in go.model_names if t.lower() == struct.lower()]
                    go_type = hits[0] if len(hits) == 1 else None
            self.go_types[key] = go_type
            cands = by_lower.get(f"{pkg}.{struct}".lower(), [])
            if len(cands) > 1:
                fail(f"{pkg}.{struct}: several definitions match: {cands}")
            if cands:
                name = cands[0]
            elif go_type is not None and go_type in go.model_names:
                name = go.model_names[go_type]
            elif go_type is not None:
                name = f"{pkg}.{go_type}"
            else:
                # No Go sources: take the spelling this table knows for the
                # name, or that of the same type in another package.
                known = [n for n in list(SPECIAL) + list(EXTRA_GVKS) if n.lower() == f"{pkg}.{struct}".lower()]
                elsewhere = sorted({d.rsplit(".", 1)[1] for d in self.defs
                                    if d.rsplit(".", 1)[1].lower() == struct.lower()})
                if known:
                    name = known[0]
                elif len(elsewhere) == 1:
                    name = f"{pkg}.{elsewhere[0]}"
                else:
                    name = f"{pkg}.{struct}"
            if go is not None and go_type in go.model_names and go.model_names[go_type] != name:
                fail(f"{name}: Go names the model {go.model_names[go_type]}")
            if name in self.names.values():
                fail(f"two messages map to {name}")
            self.names[key] = name
            if name not in self.defs:
                self.no_openapi_messages.append(name)

    def kind_of(self, f: PbField, scalar: str) -> str:
        if scalar == "message":
            target = self.names.get(f.msg)
            if target is None:
                fail(f"message type {'::'.join(f.msg[0])}::{f.msg[1]} is not a known message")
            return "message:" + target
        if scalar not in SCALARS:
            fail(f"unsupported kind {scalar}")
        return scalar

    def guess_json_name(self, key: tuple, f: PbField) -> tuple[str, str]:
        """JSON name of a field of a message without OpenAPI definition, and how it was found."""
        go = self.go_package(key[0])
        go_type = self.go_types[key]
        if go is not None and go_type is not None:
            gf = (self.go_struct(key[0], go_type) or {}).get(f.tag)
            if gf is not None:
                if gf.json_name and gf.json_name != "-":
                    return gf.json_name, "go json tag"
                if gf.proto_name:
                    return gf.proto_name, "go protobuf tag"
        # Without Go: the same field name in any OpenAPI definition, if unambiguous.
        n = norm(f.rust_name)
        seen = sorted({p for d in self.defs.values() for p in d.get("properties", {}) if norm(p) == n})
        camel = lower_camel(f.rust_name)
        if len(seen) == 1:
            return seen[0], "openapi name elsewhere"
        if camel in seen:
            return camel, "camel case (ambiguous elsewhere)"
        return camel, "camel case"

    def inline_candidate(self, f: PbField, props: dict) -> bool:
        if f.kind != "message" or f.label != "optional":
            return False
        return bool(self.inline_names(f, props))

    def inline_names(self, f: PbField, props: dict) -> list:
        """The parent's JSON properties an inline message field supplies, or []."""
        inner = self.messages[f.msg]
        inner_props = self.defs.get(self.names[f.msg], {}).get("properties")
        if inner_props is not None:
            names = list(inner_props)
        else:
            # The inner message has no definition of its own (it only ever
            # appears inline): all its fields must be properties of the parent.
            by_norm = {norm(p): p for p in props}
            names = [by_norm.get(norm(g.rust_name)) for g in inner.fields]
            if None in names:
                return []
        if not inner.fields or not names or not all(p in props for p in names):
            return []
        return names

    def build(self) -> dict:
        self.name_messages()
        out = {}
        for key in sorted(self.messages, key=lambda k: self.names[k]):
            msg = self.messages[key]
            name = self.names[key]
            definition = self.defs.get(name)
            props = (definition or {}).get("properties", {})
            required = set((definition or {}).get("required", []))
            special = SPECIAL.get(name)
            go = self.go_package(key[0])
            go_struct = self.go_struct(key[0], self.go_types[key])
            if go is not None and go_struct is None and msg.fields and special is None:
                fail(f"{name}: no Go struct {self.go_types[key] or msg.name} in {'/'.join(key[0])}")
            fields = []
            used_props = set()
            for f in msg.fields:
                entry: dict = {"tag": f.tag}
                gf = go_struct.get(f.tag) if go_struct is not None else None
                inline = False
                if special is not None:
                    json_name = lower_camel(f.rust_name)
                    if gf is not None and gf.proto_name:
                        json_name = gf.proto_name
                elif definition is not None and definition.get("properties") is not None:
                    hits = [p for p in props if norm(p) == norm(f.rust_name)]
                    if len(hits) > 1:
                        fail(f"{name}.{f.rust_name}: ambiguous JSON names {hits}")
                    if hits:
                        json_name = hits[0]
                        used_props.add(json_name)
                    elif self.inline_candidate(f, props):
                        inline = True
                        json_name = lower_camel(f.rust_name)
                        used_props.update(self.inline_names(f, props))
                    else:
                        json_name, how = self.guess_json_name(key, f)
                        self.no_openapi_fields.append(f"{name}.{json_name} (tag {f.tag}, {how})")
                else:
                    json_name, how = self.guess_json_name(key, f)
                    if gf is not None and gf.json_name == "" and "inline" in gf.json_opts and (name, f.tag) not in NOT_INLINE:
                        inline = True
                    self.derived_names.append(f"{name}.{json_name} ({how})")
                # Cross-check against Go.
                if gf is not None and special is None:
                    go_inline = gf.json_name == "" and "inline" in gf.json_opts and (name, f.tag) not in NOT_INLINE
                    if go_inline != inline:
                        fail(f"{name}.{json_name}: Go says inline={go_inline}, OpenAPI matching says inline={inline}")
                    if not inline and gf.json_name not in ("", "-") and gf.json_name != json_name:
                        fail(f"{name} tag {f.tag}: OpenAPI name {json_name} but Go json name {gf.json_name}")
                elif go_struct is not None and special is None:
                    fail(f"{name}.{json_name}: no Go field with protobuf tag {f.tag}")
                entry["name"] = json_name
                if f.label == "map":
                    entry["map"] = {"key": self.kind_of(f, f.map_key), "value": self.kind_of(f, f.map_value)}
                else:
                    entry["kind"] = self.kind_of(f, f.kind)
                    if f.label == "repeated":
                        entry["repeated"] = True
                if inline:
                    entry["inline"] = True
                if json_name in required and not inline:
                    entry["required"] = True
                if gf is not None and f.label == "optional" and special is None:
                    pointer = gf.go_type.startswith("*")
                    if f.kind != "message" and not pointer and ("omitempty" in gf.json_opts or "omitzero" in gf.json_opts):
                        entry["omitempty"] = True
                    if f.kind == "message" and "omitzero" in gf.json_opts:
                        entry["omitzero"] = True
                fields.append(entry)
            if definition is not None and special is None:
                for p in sorted(set(props) - used_props - {"apiVersion", "kind"}):
                    self.unproto_props.append(f"{name}.{p}")
            names = [e["name"] for e in fields if not e.get("inline")]
            if len(set(names)) != len(names):
                fail(f"{name}: duplicate JSON names {names}")
            record: dict = {"prost": "::".join(key[0] + (key[1],)), "fields": fields}
            if definition is None:
                record["openapi"] = False
            if special is not None:
                record["special"] = special
            gvks = self.gvks(key, name, definition)
            if gvks:
                record["gvk"] = gvks
            out[name] = record
        self.inherit_required(out)
        self.check_special_shapes(out)
        self.check_gvk_unique(out)
        return out

    def inherit_required(self, out: dict) -> None:
        """An inline member without a definition of its own (EphemeralContainerCommon,
        admissionregistration Rule) takes `required` from the definitions that inline it."""
        for name, rec in sorted(out.items()):
            required = set(self.defs.get(name, {}).get("required", []))
            if not required:
                continue
            pending = [f["kind"][8:] for f in rec["fields"] if f.get("inline")]
            while pending:
                inner = pending.pop()
                if inner in self.defs:
                    continue
                for f in out[inner]["fields"]:
                    if f.get("inline"):
                        pending.append(f["kind"][8:])
                    elif f["name"] in required:
                        f["required"] = True

    def gvks(self, key: tuple, name: str, definition: dict | None) -> list:
        found = set()
        for g in (definition or {}).get("x-kubernetes-group-version-kind", []):
            found.add((g.get("group", ""), g["version"], g["kind"]))
        for r in self.resources.get(key, []):
            group, _, version = r.api_version.rpartition("/")
            found.add((group, version, r.kind))
        for g in EXTRA_GVKS.get(name, []):
            found.add(g)
        return [{"group": g, "version": v, "kind": k} for g, v, k in sorted(found)]

    def check_special_shapes(self, out: dict) -> None:
        expect = {
            "int_or_string": [(1, "int64"), (2, "int32"), (3, "string")],
            "quantity": [(1, "string")],
            "time": [(1, "int64"), (2, "int32")],
            "micro_time": [(1, "int64"), (2, "int32")],
            "duration": [(1, "int64")],
            "raw_json": [(1, "bytes")],
            "string_array": [(1, "string")],
            "group_version": [(1, "string"), (2, "string")],
        }
        for name, special in sorted(SPECIAL.items()):
            rec = out.get(name)
            if rec is None:
                if name.endswith("QuantityValue") or name.endswith("GroupVersion"):
                    continue
                fail(f"special message {name} is missing")
            got = [(f["tag"], f.get("kind")) for f in rec["fields"]]
            if special in expect and got != expect[special]:
                fail(f"{name}: unexpected shape {got} for {special}")
            if special.startswith("schema_or_"):
                if not all(f.get("kind", "").startswith("message:") or f.get("kind") in ("bool", "string") for f in rec["fields"]):
                    fail(f"{name}: unexpected shape {got}")
        # Fields whose type is a string_array wrapper must be arrays in OpenAPI.
        for name, rec in out.items():
            props = self.defs.get(name, {}).get("properties", {})
            for f in rec["fields"]:
                kind = f.get("kind") or f["map"]["value"]
                if kind.startswith("message:") and SPECIAL.get(kind[8:]) == "string_array" and f["name"] in props:
                    schema = props[f["name"]]
                    if "map" in f:
                        schema = schema.get("additionalProperties", {})
                    if not prop_is_array(schema):
                        fail(f"{name}.{f['name']}: OpenAPI does not describe {kind[8:]} as an array")

    def check_gvk_unique(self, out: dict) -> None:
        seen: dict[tuple, str] = {}
        for name, rec in out.items():
            for g in rec.get("gvk", []):
                k = (g["group"], g["version"], g["kind"])
                if k in seen and seen[k] != name:
                    # meta/v1 option types are registered in every group version;
                    # only a collision between two real kinds is an error.
                    fail(f"group/version/kind {k} claimed by {seen[k]} and {name}")
                seen[k] = name


def render(messages: dict, sources: dict) -> str:
    lines = ["{", f' "sources": {json.dumps(sources, sort_keys=True)},', ' "messages": {']
    names = sorted(messages)
    for i, name in enumerate(names):
        rec = messages[name]
        head = {k: v for k, v in rec.items() if k != "fields"}
        lines.append(f"  {json.dumps(name)}: {{")
        for k in sorted(head):
            lines.append(f"   {json.dumps(k)}: {json.dumps(head[k], sort_keys=True)},")
        if rec["fields"]:
            lines.append('   "fields": [')
            for j, f in enumerate(rec["fields"]):
                comma = "," if j + 1 < len(rec["fields"]) else ""
                lines.append(f"    {json.dumps(f, sort_keys=True)}{comma}")
            lines.append("   ]")
        else:
            lines.append('   "fields": []')
        lines.append("  }" + ("," if i + 1 < len(names) else ""))
    lines.append(" }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_dispatch(messages: dict) -> str:
    """Test-only Rust: re-encodes a message through its k8s-pb (prost) type."""
    lines = [
        "// @generated by tools/gen_protobuf_table.py from k8s-pb 0.9.0; do not edit.",
        "//! The k8s-pb (prost) type of every message in messages.json, for the",
        "//! wire-compatibility tests: decode bytes with the real message definition",
        "//! and encode them again.",
        "",
        "use prost::Message;",
        "",
        "fn reencode_as<T: Message + Default>(bytes: &[u8]) -> Result<Vec<u8>, prost::DecodeError> {",
        "    Ok(T::decode(bytes)?.encode_to_vec())",
        "}",
        "",
        "/// Decodes `bytes` as the k8s-pb type of the message `name` and encodes the result again.",
        "pub(super) fn reencode(name: &str, bytes: &[u8]) -> Option<Result<Vec<u8>, prost::DecodeError>> {",
        "    let reencode: fn(&[u8]) -> Result<Vec<u8>, prost::DecodeError> = match name {",
    ]
    for name in sorted(messages):
        arm = f'        "{name}" => reencode_as::<k8s_pb::{messages[name]["prost"]}>,'
        # Wrapped as rustfmt (max_width = 120) wraps it.
        if len(arm) > 120:
            call = f'            reencode_as::<k8s_pb::{messages[name]["prost"]}>'
            if len(call) > 121:  # rustfmt keeps a 121-column turbofish
                call = f'            reencode_as::<\n                k8s_pb::{messages[name]["prost"]},\n            >'
            arm = f'        "{name}" => {{\n{call}\n        }}'
        lines.append(arm)
    lines += [
        "        _ => return None,",
        "    };",
        "    Some(reencode(bytes))",
        "}",
    ]
    return "\n".join(lines) + "\n"


def find_default(pattern: str) -> str | None:
    hits = sorted(glob.glob(os.path.expanduser(pattern)))
    return hits[-1] if hits else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("k8s_pb_src", nargs="?", help="k8s-pb 0.9.0 src directory")
    ap.add_argument("definitions", nargs="?", help="v1.35.0-local/_definitions.json")
    ap.add_argument("--go-src", help="directory with k8s.io/{api,apimachinery,...} at v0.35.0")
    ap.add_argument("--no-go", action="store_true", help="do not look for Go sources")
    ap.add_argument("-o", "--out", default=DEFAULT_OUT, help="messages.json to write")
    ap.add_argument("--dispatch-out", default=None,
                    help="prost_dispatch.rs to write (default: beside messages.json)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every derived name")
    args = ap.parse_args()

    pb_src = args.k8s_pb_src or find_default("~/.cargo/registry/src/*/k8s-pb-0.9.0/src")
    defs = args.definitions or find_default(
        "/tmp/kv/whl/kubernetes_validate/kubernetes-json-schema/v1.35.0-local/_definitions.json")
    go_src = None if args.no_go else (args.go_src or ("/tmp/k8s-go" if os.path.isdir("/tmp/k8s-go/k8s.io") else None))
    if not pb_src or not os.path.isdir(pb_src):
        fail("k8s-pb 0.9.0 source not found; pass K8S_PB_SRC")
    if not defs or not os.path.isfile(defs):
        fail("_definitions.json not found; pass DEFINITIONS")

    gen = Generator(pb_src, defs, go_src)
    messages = gen.build()
    sources = {
        "k8s_pb": "k8s-pb 0.9.0 (Kubernetes 1.35 protos)",
        "openapi": "kubernetes-validate 1.37.0, v1.35.0-local/_definitions.json",
        "go": "k8s.io/* v0.35.0 struct tags" if go_src else None,
    }
    text = render(messages, sources)
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)
    dispatch = os.path.abspath(args.dispatch_out or os.path.join(os.path.dirname(out), "prost_dispatch.rs"))
    with open(dispatch, "w", encoding="utf-8") as fh:
        fh.write(render_dispatch(messages))

    n_gvk = sum(1 for r in messages.values() if r.get("gvk"))
    print(f"wrote {out}: {len(messages)} messages "
          f"({len(messages) - len(gen.no_openapi_messages)} with an OpenAPI definition, "
          f"{len(gen.no_openapi_messages)} without; {n_gvk} with a group/version/kind)", file=sys.stderr)
    print(f"Go struct tags: {'used from ' + go_src if go_src else 'not used'}", file=sys.stderr)
    if gen.no_openapi_fields:
        print(f"fields without OpenAPI counterpart in messages that have one ({len(gen.no_openapi_fields)}):",
              file=sys.stderr)
        for f in gen.no_openapi_fields:
            print(f"  {f}", file=sys.stderr)
    if gen.unproto_props:
        print(f"OpenAPI properties without proto field ({len(gen.unproto_props)}):", file=sys.stderr)
        for p in gen.unproto_props:
            print(f"  {p}", file=sys.stderr)
    print(f"messages without OpenAPI definition ({len(gen.no_openapi_messages)}); their JSON names come "
          f"from {'Go json tags' if go_src else 'other definitions or camelCase'}", file=sys.stderr)
    if args.verbose:
        for n in gen.no_openapi_messages:
            print(f"  {n}", file=sys.stderr)
        for n in gen.derived_names:
            print(f"    {n}", file=sys.stderr)


if __name__ == "__main__":
    main()
