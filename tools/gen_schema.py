#!/usr/bin/env python3
"""Generates api/src/schema/definitions.json: the OpenAPI definitions of every
built-in Kubernetes 1.35 type, in OpenAPI v2 form, with all x-kubernetes-*
extensions (list types, map keys, patch strategies, group-version-kinds).

Source: the PyPI package kubernetes-validate (Apache-2.0), which ships
Kubernetes' own OpenAPI definitions converted to JSON Schema for every
Kubernetes version. This script undoes that conversion:

- `"type": ["string", "null"]` (the converter's way of saying "optional")
  becomes `"type": "string"`;
- `$ref: "#/$defs/X"` becomes `$ref: "#/definitions/X"`;
- IntOrString and Quantity get back the form and description kube-apiserver
  publishes (`type: string, format: int-or-string`; `type: string`);
- the `enum` the converter added to every kind's apiVersion and kind goes.

Usage:
    python3 tools/gen_schema.py                 # downloads kubernetes-validate with pip
    python3 tools/gen_schema.py PATH/_definitions.json
The output is deterministic (sorted keys), so a re-run that changes nothing
leaves git clean.
"""

import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "kubernetes-validate==1.37.0"
SCHEMA_VERSION = "v1.35.0"
OUT = os.path.join(os.path.dirname(__file__), "..", "api", "src", "schema", "definitions.json")

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"

DESCRIPTIONS = {
    INT_OR_STRING: (
        "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML "
        "marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to "
        "have, for example, a JSON field that can accept a name or number."
    ),
    QUANTITY: (
        "Quantity is a fixed-point representation of a number. It provides convenient "
        "marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors."
        "\n\nThe serialization format is:\n\n```\n<quantity>        ::= <signedNumber><suffix>\n\n"
        "\t(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n"
        "<digit>           ::= 0 | 1 | ... | 9\n<digits>          ::= <digit> | <digit><digits>\n"
        "<number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>\n"
        "<sign>            ::= \"+\" | \"-\"\n<signedNumber>    ::= <number> | <sign><number>\n"
        "<suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>\n"
        "<binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n"
        "\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n"
        "<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n"
        "\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)\n\n"
        "<decimalExponent> ::= \"e\" <signedNumber> | \"E\" <signedNumber>\n```\n\n"
        "No matter which of the three exponent forms is used, no quantity may represent a number "
        "greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger "
        "or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may "
        "be extended in the future if we require larger or smaller quantities.\n\n"
        "When a Quantity is parsed from a string, it will remember the type of suffix it had, and "
        "will use the same type again when it is serialized.\n\n"
        "Before serializing, Quantity will be put in \"canonical form\". This means that "
        "Exponent/suffix will be adjusted up or down (with a corresponding increase or decrease in "
        "Mantissa) such that:\n\n- No precision is lost\n- No fractional digits will be emitted\n"
        "- The exponent (or suffix) is as large as possible.\n\n"
        "The sign will be omitted unless the number is negative.\n\nExamples:\n\n"
        "- 1.5 will be serialized as \"1500m\"\n- 1.5Gi will be serialized as \"1536Mi\"\n\n"
        "Note that the quantity will NEVER be internally represented by a floating point number. "
        "That is the whole point of this exercise.\n\n"
        "Non-canonical values will still parse as long as they are well formed, but will be "
        "re-emitted in their canonical form. (So always use canonical form, or don't diff.)\n\n"
        "This format is intended to make it difficult to use these numbers without writing some "
        "sort of special handling code in the hopes that that will cause implementors to also use "
        "a fixed point implementation."
    ),
}


def source_path(argv):
    if len(argv) > 1:
        return argv[1], None
    tmp = tempfile.mkdtemp(prefix="kubox-schema-")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", PACKAGE, "--no-deps", "-q", "-d", tmp],
        check=True,
    )
    wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
    member = f"kubernetes_validate/kubernetes-json-schema/{SCHEMA_VERSION}-local/_definitions.json"
    with zipfile.ZipFile(wheel) as z:
        z.extract(member, tmp)
    return os.path.join(tmp, member), tmp


def convert(node, top_level_gvk=False):
    """Turns one JSON Schema node back into OpenAPI v2 form."""
    if isinstance(node, list):
        return [convert(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "type" and isinstance(value, list):
            kinds = [t for t in value if t != "null"]
            if len(kinds) != 1:
                raise SystemExit(f"unexpected type union {value}")
            out["type"] = kinds[0]
        elif key == "$ref":
            out["$ref"] = value.replace("#/$defs/", "#/definitions/")
        elif key == "properties":
            props = {}
            for name, prop in value.items():
                prop = convert(prop)
                if top_level_gvk and name in ("apiVersion", "kind") and isinstance(prop, dict):
                    prop.pop("enum", None)
                props[name] = prop
            out["properties"] = props
        elif isinstance(value, (dict, list)):
            out[key] = convert(value)
        else:
            out[key] = value
    return out


def main(argv):
    path, _tmp = source_path(argv)
    with open(path) as f:
        raw = json.load(f)["$defs"]
    definitions = {}
    for name, node in raw.items():
        if name == INT_OR_STRING:
            definitions[name] = {"description": DESCRIPTIONS[name], "format": "int-or-string", "type": "string"}
            continue
        if name == QUANTITY:
            definitions[name] = {"description": DESCRIPTIONS[name], "type": "string"}
            continue
        definitions[name] = convert(node, top_level_gvk="x-kubernetes-group-version-kind" in node)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(definitions, f, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(definitions)} definitions from {PACKAGE} ({SCHEMA_VERSION}) to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main(sys.argv)
