#!/usr/bin/env python3
"""Build the ruzshomar gazetteer data files from the prepared gazetteer sources.

Usage:
    python3 tools/build_gazetteer.py [SOURCE_DIR [OUTPUT_DIR]]

SOURCE_DIR defaults to ``tools/gazetteer-sources`` in the repository root (the
parent of this ``tools/`` directory): the prepared gazetteer sources, vendored
with their licences. OUTPUT_DIR defaults to ``data/gazetteer`` in the
repository root. From a clone, with no arguments, the script regenerates the
committed ``data/gazetteer/`` byte for byte.

Reads (see SOURCE_DIR/README.md and SOURCE_DIR/LICENSES.md):
    provinces.csv, cities.csv, aliases.csv, provinces_osm.geojson, LICENSES.md
    (the attribution sentences are taken from the blockquotes of LICENSES.md's
    section "Attribution text to show on the site")

Writes:
    provinces.yaml, cities.yaml, provinces.geojson, LICENSES.md

Python 3 standard library only. YAML is emitted by hand with conservative
quoting. Output is deterministic: the same input gives byte-identical output.
"""

import csv
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT / "tools" / "gazetteer-sources"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "gazetteer"

EXPECTED_PROVINCES = 31
EXPECTED_CITIES = 1868
# Two records of one province closer than this, with the same name, are one place.
DUPLICATE_KM = 15


# --------------------------------------------------------------------------
# Name normalisation (keys used only for de-duplication; never emitted)
# --------------------------------------------------------------------------

# Arabic-script letters that are folded to their Persian forms.
ARABIC_FOLD = {
    "\u064A": "\u06CC",  # ARABIC LETTER YEH -> FARSI YEH
    "\u0649": "\u06CC",  # ARABIC LETTER ALEF MAKSURA -> FARSI YEH
    "\u0643": "\u06A9",  # ARABIC LETTER KAF -> KEHEH
}
# Harakat and other Arabic marks that are removed: fathatan..sukun, the
# superscript alef, and tatweel (kashida).
ARABIC_DROP = set(chr(c) for c in range(0x064B, 0x0653)) | {"\u0670", "\u0640"}


def is_arabic_script(ch):
    cp = ord(ch)
    return (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    )


def norm_key(s):
    """Matching key for a place name.

    Latin and other non-Arabic text: NFKD, drop combining marks, lower-case,
    keep only letters and digits (so spaces, hyphens, apostrophes and the
    ayn/hamza modifier letters ʻ ʼ ʾ ʿ all disappear).

    Arabic-script text: presentation forms are folded (NFKC), ي/ى→ی and
    ك→ک, harakat, superscript alef and tatweel are removed, and only letters
    and digits are kept (so ZWNJ and spaces disappear). Hamza and madda
    letters (أ, آ, ؤ, ئ) are deliberately NOT folded.
    """
    out = []
    for ch in unicodedata.normalize("NFC", s):
        if is_arabic_script(ch):
            for c in unicodedata.normalize("NFKC", ch):
                c = ARABIC_FOLD.get(c, c)
                if c in ARABIC_DROP:
                    continue
                if c.isalnum():
                    out.append(c)
        else:
            for c in unicodedata.normalize("NFKD", ch):
                if unicodedata.combining(c):
                    continue
                cat = unicodedata.category(c)
                if cat == "Lm":  # modifier letters: ʻ ʼ ʾ ʿ, etc.
                    continue
                for lc in c.lower():
                    if lc.isalnum():
                        out.append(lc)
    return "".join(out)


# Apostrophe-like characters accepted inside Latin alternate names.
LATIN_APOSTROPHES = set("'\u2018\u2019`\u02BB\u02BC\u02BE\u02BF")


def looks_like_latin_name(s):
    """Filter for raw GeoNames alternate names (the `alt_names` column).

    Accept only Latin-script spellings that look like real names: at least
    3 characters, first character an upper-case Latin letter, only Latin
    letters (accented ones included, also with combining marks), spaces,
    hyphens and apostrophes, and not all upper-case (drops IATA/ICAO codes).
    """
    s = unicodedata.normalize("NFC", s)
    if len(s) < 3 or s != s.strip():
        return False
    first = s[0]
    if not (first.isalpha() and first.isupper() and unicodedata.name(first, "").startswith("LATIN")):
        return False
    prev_letter = False
    for ch in s:
        if ch.isalpha():
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
            prev_letter = True
        elif unicodedata.combining(ch):
            if not prev_letter:
                return False
        elif ch in " -" or ch in LATIN_APOSTROPHES:
            prev_letter = False
        else:
            return False
    if s.upper() == s:
        return False
    return True


class AliasList:
    """Ordered alias list, de-duplicated by norm_key; first occurrence wins."""

    def __init__(self, *excluded_names):
        self.seen = {norm_key(n) for n in excluded_names if n}
        self.seen.discard("")
        self.items = []

    def add(self, alias):
        alias = alias.strip()
        if not alias:
            return
        key = norm_key(alias)
        if not key or key in self.seen:
            return
        self.seen.add(key)
        self.items.append(alias)


def split_list(cell):
    return [x.strip() for x in cell.split("|") if x.strip()] if cell else []


# --------------------------------------------------------------------------
# YAML emission
# --------------------------------------------------------------------------

YAML_SPECIALS = set(":#,[]{}&*!|>'\"%@`\\")
YAML_RESERVED = {
    "yes", "no", "on", "off", "true", "false", "null", "~", "y", "n", "=", "<<",
}
YAML_NUMBER_RE = re.compile(
    r"""^(?:
        [-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?   # int / float
      | [-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?0x[0-9a-fA-F_]+ # bin/oct/hex
      | [-+]?\.(?:inf|nan)                                      # inf / nan
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?         # sexagesimal
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
# Format characters that may appear literally (Persian ZWNJ / ZWJ).
ALLOWED_FORMAT_CHARS = {"\u200C", "\u200D"}


def _needs_escape(ch):
    if ch in ALLOWED_FORMAT_CHARS:
        return False
    cat = unicodedata.category(ch)
    return cat[0] == "C" or cat in ("Zl", "Zp") or ch == "\u0085"


def _escape_char(ch):
    simple = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
    if ch in simple:
        return simple[ch]
    if _needs_escape(ch):
        cp = ord(ch)
        if cp <= 0xFF:
            return "\\x%02X" % cp
        if cp <= 0xFFFF:
            return "\\u%04X" % cp
        return "\\U%08X" % cp
    return ch


def yaml_str(s):
    """Emit a string scalar, plain when unambiguous, else double-quoted."""
    if not isinstance(s, str):
        raise TypeError("yaml_str expects str, got %r" % (s,))
    plain_ok = (
        s != ""
        and s == s.strip()
        and not any(ch in YAML_SPECIALS for ch in s)
        and not any(_needs_escape(ch) or ch in "\t\n\r" for ch in s)
        and s[0] not in "-?+.~=<0123456789"
        and s.lower() not in YAML_RESERVED
        and not YAML_NUMBER_RE.match(s)
    )
    if plain_ok:
        return s
    return '"' + "".join(_escape_char(ch) for ch in s) + '"'


NUMBER_TOKEN_RE = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")


def yaml_number(token):
    """Emit a number exactly as written in the source CSV (validated)."""
    token = token.strip()
    if not NUMBER_TOKEN_RE.match(token):
        raise ValueError("not a plain decimal number: %r" % (token,))
    return token


def yaml_int(token):
    token = token.strip()
    if not re.fullmatch(r"0|[1-9][0-9]*", token):
        raise ValueError("not a non-negative integer: %r" % (token,))
    return token


def yaml_flow_list(items):
    return "[" + ", ".join(yaml_str(i) for i in items) + "]"


def emit_records(records):
    """records: list of lists of (key, rendered_value) pairs."""
    lines = []
    for rec in records:
        for i, (key, value) in enumerate(rec):
            prefix = "- " if i == 0 else "  "
            lines.append("%s%s: %s" % (prefix, key, value))
    return "\n".join(lines) + "\n"


def header(lines):
    return "".join("# %s\n" % l if l else "#\n" for l in lines)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check(cond, msg):
    if not cond:
        raise SystemExit("build_gazetteer: " + msg)


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------


def build_provinces(prov_rows, city_by_gid):
    records = []
    for r in sorted(prov_rows, key=lambda r: r["iso_3166_2"]):
        aliases = AliasList(r["name_en"])
        if r["name_iso"] != r["name_en"]:
            aliases.add(r["name_iso"])
        for a in split_list(r["alt_names_en"]):
            aliases.add(a)
        cap = city_by_gid.get(r["capital_geonameid"])
        check(cap is not None, "capital %s of %s not in cities.csv" % (r["capital_geonameid"], r["slug"]))
        check(cap["province_iso"] == r["iso_3166_2"], "capital %s not in its province" % cap["slug"])
        rec = [
            ("id", yaml_str(r["slug"])),
            ("iso", yaml_str(r["iso_3166_2"])),
            ("iso_legacy", yaml_str(r["iso_3166_2_legacy"])),
            ("name", yaml_str(r["name_en"])),
            ("name_fa", yaml_str(r["name_fa"])),
        ]
        if aliases.items:
            rec.append(("aliases", yaml_flow_list(aliases.items)))
        rec += [
            ("capital", yaml_str(cap["slug"])),
            ("lat", yaml_number(r["centroid_lat"])),
            ("lon", yaml_number(r["centroid_lon"])),
            ("area_km2", yaml_int(r["area_km2_approx"])),
        ]
        records.append(rec)
    return records


def city_names(r):
    """The keys of every name a cities.csv row gives its place."""
    names = [r["name_en"], r["name"], r["ascii_name"], r["name_fa"]]
    names += split_list(r["alt_names_fa"])
    names += [a for a in split_list(r["alt_names"]) if looks_like_latin_name(a)]
    return {norm_key(n) for n in names if n and norm_key(n)}


def distance_km(a, b):
    """Great-circle distance between two cities.csv rows."""
    lat1, lon1, lat2, lon2 = (math.radians(float(x)) for x in (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def close_duplicate(a, b):
    """Why two rows of one province are one place, or None.

    Within DUPLICATE_KM of each other, and: the same English or Persian name (folded), or each
    listing the other's name among its names, or one with population 0 sharing a name with the
    other.
    """
    if distance_km(a, b) > DUPLICATE_KM:
        return None
    if norm_key(a["name_en"]) == norm_key(b["name_en"]):
        return "same name"
    if a["name_fa"] and norm_key(a["name_fa"]) == norm_key(b["name_fa"]):
        return "same Persian name"
    names_a, names_b = city_names(a), city_names(b)
    if norm_key(a["name_en"]) in names_b and norm_key(b["name_en"]) in names_a:
        return "each lists the other's name"
    if "0" in (a["population"], b["population"]) and names_a & names_b:
        return "population 0 and a shared name"
    return None


def twin_links(city_rows):
    """Pairs of slugs in one province that GeoNames gives the same population (qa_flag)."""
    by_gid = {r["geonameid"]: r for r in city_rows}
    links = set()
    for r in city_rows:
        for gid in re.findall(r"[0-9]+", r["qa_flag"]):
            other = by_gid.get(gid)
            check(other is not None, "qa_flag of %s names unknown GeoNames id %s" % (r["slug"], gid))
            if other["province_iso"] == r["province_iso"]:
                links.add(tuple(sorted((r["slug"], other["slug"]))))
    return links


def find_merges(city_rows, corrections):
    """The duplicates to merge: {dropped slug: (kept slug, close, reason)}.

    Close duplicates (see close_duplicate) are found here; the record kept is the one with the
    largest population, then with a Persian name, then with the shorter slug, then with the
    older GeoNames id. Far twins (same population per qa_flag, or by hand) are listed in
    corrections.csv as `keep-twin`. Every same-province qa_flag link must be decided there.
    """
    rank = lambda r: (-int(r["population"]), 0 if r["name_fa"] else 1, len(r["slug"]), int(r["geonameid"]))
    by_slug = {r["slug"]: r for r in city_rows}
    merges = {}
    by_province = {}
    for r in city_rows:
        by_province.setdefault(r["province_iso"], []).append(r)
    for rows in by_province.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                why = close_duplicate(a, b)
                if why:
                    keep, drop = sorted((a, b), key=rank)
                    check(drop["slug"] not in merges, "%s is a duplicate twice" % drop["slug"])
                    merges[drop["slug"]] = (keep["slug"], True, "%s, %.1f km apart" % (why, distance_km(a, b)))
    decided = set()
    for c in corrections:
        if c["action"] == "keep-twin":
            keep, drop = by_slug.get(c["slug"]), by_slug.get(c["value"])
            check(keep is not None and drop is not None, "corrections.csv: unknown slug in %r" % c)
            check(keep["province_iso"] == drop["province_iso"], "corrections.csv: twins in two provinces: %r" % c)
            check(drop["slug"] not in merges, "corrections.csv: %s is already merged" % drop["slug"])
            merges[drop["slug"]] = (keep["slug"], False, c["reason"])
        if c["action"] in ("keep-twin", "not-a-duplicate"):
            decided.add(tuple(sorted((c["slug"], c["value"]))))
    for dropped, (kept, _, _) in merges.items():
        check(kept not in merges, "%s is kept but also merged" % kept)
        decided.add(tuple(sorted((dropped, kept))))
    undecided = twin_links(city_rows) - decided
    check(not undecided, "same-population twins not decided in corrections.csv: %s" % sorted(undecided))
    return merges


def corrections_of(corrections, action, by_slug):
    """{slug: [(value, reason)]} of one action of corrections.csv, every slug known."""
    out = {}
    for c in corrections:
        if c["action"] == action:
            check(c["slug"] in by_slug, "corrections.csv: unknown slug %s" % c["slug"])
            out.setdefault(c["slug"], []).append((c["value"], c["reason"]))
    return out


def build_cities(city_rows, slug_by_iso, aliases_by_gid, corrections):
    """The records of cities.yaml, and the merges (dropped slug, kept slug, close, reason)."""
    by_slug = {r["slug"]: r for r in city_rows}
    actions = {"keep-twin", "not-a-duplicate", "population-copied", "name_en", "name_fa", "drop-alias"}
    for c in corrections:
        check(c["action"] in actions, "corrections.csv: unknown action %r" % c["action"])
    merges = find_merges(city_rows, corrections)
    merged_into = {}
    for dropped in (r["slug"] for r in city_rows if r["slug"] in merges):
        merged_into.setdefault(merges[dropped][0], []).append(by_slug[dropped])
    copied = corrections_of(corrections, "population-copied", by_slug)
    name_en = corrections_of(corrections, "name_en", by_slug)
    name_fa = corrections_of(corrections, "name_fa", by_slug)
    drop = corrections_of(corrections, "drop-alias", by_slug)
    records = []
    for r in city_rows:
        if r["slug"] in merges:
            continue
        name = name_en[r["slug"]][0][0] if r["slug"] in name_en else r["name_en"].strip()
        fa = r["name_fa"].strip()
        if r["slug"] in name_fa:
            new = name_fa[r["slug"]][0][0]
            check(norm_key(new) in {norm_key(x) for x in split_list(r["alt_names_fa"])},
                  "corrections.csv: %s is not one of the Persian names of %s" % (new, r["slug"]))
            fa = new
        aliases = AliasList(name, fa)
        for a in (r["name_en"], r["name"], r["ascii_name"], r["name_fa"]):
            if a.strip() != name:
                aliases.add(a)
        for a in split_list(r["alt_names_fa"]):
            aliases.add(a)
        for a in split_list(r["alt_names"]):
            if looks_like_latin_name(a):
                aliases.add(unicodedata.normalize("NFC", a))
        for a in aliases_by_gid.get(r["geonameid"], []):
            aliases.add(a)
        for twin in merged_into.get(r["slug"], []):
            # The old id stays, so files and addresses that use it keep working: as written,
            # even when it folds to the name (`kahrizak`), since an alias that is a slug is a
            # former id with a redirect page.
            if twin["slug"] not in aliases.items:
                aliases.items.append(twin["slug"])
            if merges[twin["slug"]][1]:
                for a in (twin["name_en"], twin["name"], twin["name_fa"]):
                    aliases.add(a)
                for a in split_list(twin["alt_names_fa"]):
                    aliases.add(a)
                for a in split_list(twin["alt_names"]):
                    if looks_like_latin_name(a):
                        aliases.add(unicodedata.normalize("NFC", a))
        for alias, _ in drop.get(r["slug"], []):
            check(alias in aliases.items, "corrections.csv: %s has no alias %r" % (r["slug"], alias))
            aliases.items.remove(alias)
        prov = slug_by_iso.get(r["province_iso"])
        check(prov is not None, "unknown province_iso %r for %s" % (r["province_iso"], r["slug"]))
        population = "0" if r["slug"] in copied else r["population"]
        rec = [
            ("id", yaml_str(r["slug"])),
            ("name", yaml_str(name)),
        ]
        if fa:
            rec.append(("name_fa", yaml_str(fa)))
        rec += [
            ("province", yaml_str(prov)),
            ("lat", yaml_number(r["lat"])),
            ("lon", yaml_number(r["lon"])),
            ("population", yaml_int(population)),
            ("geonames", yaml_int(r["geonameid"])),
        ]
        if aliases.items:
            rec.append(("aliases", yaml_flow_list(aliases.items)))
        records.append(rec)
    merge_list = [(d, k, close, why) for d, (k, close, why) in merges.items()]
    merge_list.sort()
    return records, merge_list


def slugify(text):
    """A Latin slug, as ruzshomar's `names::slugify` makes one: `Raja'ishahr` -> `rajaishahr`."""
    slug = ""
    for c in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(c):
            continue
        if c.isascii() and c.isalnum():
            slug += c.lower()
        elif slug and not slug.endswith("-") and c not in "'\u2019\u2018":
            slug += "-"
    return slug.rstrip("-")


def build_neighbourhoods(rows, added, city_rows, merges):
    """The records of neighbourhoods.yaml: neighbourhoods.csv, then neighbourhoods_added.csv.

    The id is `<city id>-<slug of the name>`; when two places of one city share that slug, each
    gets its GeoNames (or Who's On First) id appended. A Tehran district's Persian name drops
    the city (`منطقه ۱۰ شهر تهران` -> `منطقه ۱۰`), which stays an alias.
    """
    kept = {}
    for r in city_rows:
        if r["slug"] not in merges:
            kept.setdefault((r["name_en"], r["province_en"]), r)
    slugs = {r["slug"]: r for r in city_rows if r["slug"] not in merges}
    items = []
    for r in rows:
        city = kept.get((r["parent_city"], r["province_en"]))
        check(city is not None, "neighbourhoods.csv: unknown parent %s" % r["parent_city"])
        fa = r["name_fa"].strip()
        aliases = split_list(r["alt_names"])
        suffix = " \u0634\u0647\u0631 " + city["name_fa"]
        if r["kind"] == "district" and fa.endswith(suffix):
            aliases.append(fa)
            fa = fa[: -len(suffix)]
        numbers = re.findall(r"(?:GeoNames|WOF \w+) ([0-9]+)", r["source"])
        items.append({"name": r["name_en"].strip(), "name_fa": fa, "aliases": aliases,
                      "city": city, "lat": r["lat"], "lon": r["lon"], "source": r["source"].strip(),
                      "number": numbers[-1] if numbers else ""})
    for r in added:
        city = slugs.get(r["city"])
        check(city is not None, "neighbourhoods_added.csv: unknown city id %r" % r["city"])
        check(r["source"].strip() != "", "neighbourhoods_added.csv: %s has no source" % r["name"])
        items.append({"name": r["name"].strip(), "name_fa": r["name_fa"].strip(),
                      "aliases": split_list(r["aliases"]), "city": city, "lat": r["lat"],
                      "lon": r["lon"], "source": r["source"].strip(), "number": ""})
    taken = {}
    for item in items:
        item["id"] = "%s-%s" % (item["city"]["slug"], slugify(item["name"]))
        taken[item["id"]] = taken.get(item["id"], 0) + 1
    records = []
    for item in items:
        if taken[item["id"]] > 1:
            check(item["number"] != "", "two neighbourhoods %s and nothing to tell them apart" % item["id"])
            item["id"] += "-" + item["number"]
        check(item["id"] not in slugs, "neighbourhood id %s is a city id" % item["id"])
        aliases = AliasList(item["name"], item["name_fa"])
        for a in item["aliases"]:
            aliases.add(a)
        rec = [("id", yaml_str(item["id"])), ("name", yaml_str(item["name"]))]
        if item["name_fa"]:
            rec.append(("name_fa", yaml_str(item["name_fa"])))
        if aliases.items:
            rec.append(("aliases", yaml_flow_list(aliases.items)))
        rec += [
            ("city", yaml_str(item["city"]["slug"])),
            ("lat", yaml_number(item["lat"])),
            ("lon", yaml_number(item["lon"])),
            ("source", yaml_str(item["source"])),
        ]
        records.append(rec)
    check(len({dict(r)["id"] for r in records}) == len(records), "duplicate neighbourhood ids")
    return records


def build_geojson(src, prov_by_iso):
    check(src.get("type") == "FeatureCollection", "provinces_osm.geojson is not a FeatureCollection")
    features = []
    seen = set()
    for f in src["features"]:
        props = f.get("properties") or {}
        iso = props.get("iso_3166_2") or f.get("id")
        p = prov_by_iso.get(iso)
        check(p is not None, "geojson feature with unknown iso %r" % (iso,))
        check(iso not in seen, "duplicate geojson feature %r" % (iso,))
        seen.add(iso)
        geom = f["geometry"]
        features.append({
            "type": "Feature",
            "id": p["slug"],
            "properties": {
                "id": p["slug"],
                "iso": p["iso_3166_2"],
                "name": p["name_en"],
                "name_fa": p["name_fa"],
            },
            "geometry": geom,  # unchanged, key order as in the source
        })
    check(len(features) == EXPECTED_PROVINCES, "geojson has %d features" % len(features))
    out = {"type": "FeatureCollection"}
    for k in ("source", "license"):
        if k in src:
            out[k] = src[k]
    out["features"] = features
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n"


ATTRIBUTION_HEADING = "## Attribution text to show on the site"


def extract_attribution(licenses_md):
    """Return the three quoted attribution sentences from the source LICENSES.md.

    Only the section headed ATTRIBUTION_HEADING is read, up to the next "## "
    heading: later sections (neighbourhoods.csv's) quote other GeoNames and
    OpenStreetMap lines.
    """
    lines = licenses_md.splitlines()
    check(ATTRIBUTION_HEADING in lines, "LICENSES.md has no %r section" % ATTRIBUTION_HEADING)
    section = []
    for l in lines[lines.index(ATTRIBUTION_HEADING) + 1:]:
        if l.startswith("## "):
            break
        section.append(l)
    quotes = [l[1:].strip() for l in section if l.startswith(">")]
    geonames = [q for q in quotes if "GeoNames" in q]
    osm = [q for q in quotes if "OpenStreetMap" in q]
    ne = [q for q in quotes if "Natural Earth" in q]
    check(len(geonames) == 1 and len(osm) == 1 and len(ne) == 1,
          "could not find the attribution sentences in LICENSES.md")
    return geonames[0], osm[0], ne[0]


def build_licenses(licenses_md, n_prov, n_city, n_alias_rows, n_fixed, fixed_names, extra):
    """LICENSES.md; `extra` has n_source, n_hood, n_added, merges, corrections."""
    geonames, osm, ne = extract_attribution(licenses_md)
    hood_osm, hood_geonames = extract_neighbourhood_attribution(licenses_md)
    fixed = ", ".join(fixed_names)
    n_source, n_hood, n_added = extra["n_source"], extra["n_hood"], extra["n_added"]
    merges = merges_section(extra["merges"], extra["corrections"])
    return f"""# Gazetteer data: sources, licences and attribution

The files in this directory are generated by `tools/build_gazetteer.py` from the prepared
gazetteer sources in `tools/gazetteer-sources/` (their `README.md` and `LICENSES.md`
describe every column and every upstream source). The YAML files may be hand-curated after
generation; re-running the generator overwrites hand edits.

## Attribution shown on the site

Because `cities.yaml` is used (GeoNames, CC BY 4.0):

> {geonames}

Because `provinces.geojson` is used (OpenStreetMap, ODbL 1.0):

> {osm}

Because `neighbourhoods.yaml` is used (OpenStreetMap, ODbL 1.0, and GeoNames via Who's On
First, CC BY 4.0):

> {hood_osm}

> {hood_geonames}

## Per file

| file | derived from | licence |
|---|---|---|
| `cities.yaml` | `cities.csv` and `aliases.csv` (GeoNames `cities1000`, Iranian rows) | **CC BY 4.0** (GeoNames), attribution required (text above) |
| `provinces.yaml` | `provinces.csv` (ISO 3166-2 codes and names, GeoNames admin1 names, Natural Earth spellings, Persian names, hand-made tables; capital ids from `cities.csv`; centroid and area computed from the OpenStreetMap polygons) | codes and names are factual extracts; GeoNames-derived names are CC BY 4.0 (covered by the GeoNames attribution); the centroid/area facts are an insubstantial extract of OSM |
| `neighbourhoods.yaml` | `neighbourhoods.csv` (Tehran's 22 municipal districts from OpenStreetMap `admin_level=9`; places inside big cities from GeoNames via Who's On First) and the project's `neighbourhoods_added.csv` | the 22 districts **ODbL 1.0** (share-alike, as for `provinces.geojson`); the GeoNames rows **CC BY 4.0**; 5 Who's On First rows CC0. Each record's `source` says where it comes from |
| `provinces.geojson` | `provinces_osm.geojson` (OpenStreetMap `admin_level=4` boundaries) | **ODbL 1.0**, "© OpenStreetMap contributors". Share-alike: this file, and anything derived from it, stays available under the ODbL |

Natural Earth data is public domain; where it was used (the coastline that clips the OSM
provinces, HASC codes and some alternative province spellings) no credit is required.
A courtesy line is welcome:

> {ne}

## How the files were derived

* **`provinces.yaml`** ({n_prov} provinces, sorted by current ISO 3166-2 code): `id` = `slug`,
  `iso` = `iso_3166_2` (current codes since ISO's recoding of 2020-11-24, e.g. Fars = IR-07,
  Tehran = IR-23), `iso_legacy` = `iso_3166_2_legacy` (pre-2020 code), `name` = `name_en`,
  `name_fa`, `aliases` = `name_iso` plus `alt_names_en` (de-duplicated case- and
  diacritic-insensitively, without spellings equal to `name`), `capital` = the `cities.yaml` id
  of `capital_geonameid`, `lat`/`lon` = the label point (`centroid_lat`/`centroid_lon`, a
  centroid of the OSM polygon, or a point inside it when the centroid falls outside),
  `area_km2` = `area_km2_approx` (area of the OSM polygon rounded to 100 km²).
* **`cities.yaml`** ({n_city} places, in the order of `cities.csv`: population, largest first):
  all Iranian rows of GeoNames `cities1000` (places with more than 1,000 people plus seats of
  administrative divisions down to PPLA3, so a few have a population below 1,000 or 0 =
  unknown). `id` = `slug`, `name` = `name_en` (GeoNames ASCII name except 7 hand overrides:
  Urmia, Khoy, Shahrekord, Malekshahi, Asaluyeh, Sarpol-e Zahab, Izeh), `name_fa` (50
  hand-checked, the rest chosen from GeoNames' Arabic-script names by a heuristic; omitted for
  13 places without one), `province` = the province id of `province_iso`, `lat`/`lon`/
  `population` as in GeoNames, `geonames` = GeoNames id.
  * Province corrections: GeoNames' admin1 code is used, except for {n_fixed} places where it
    is wrong or out of date:
    {fixed}.
    Tabas moved from Yazd to South Khorasan by the cabinet decision of 1391/10/24
    (13 January 2013); the others were found by a point-in-polygon check against the
    OpenStreetMap and Natural Earth province polygons.
  * Duplicates merged: {len(extra["merges"])} records are the same place as another record and
    are merged into it (see "Merges and corrections" below): the other record's id stays as
    an alias of the kept city, so files and addresses that use it keep working.
  * `aliases`: the GeoNames name (with diacritics) and ASCII name when they differ from `name`;
    the normalised Arabic-script alternate names (`alt_names_fa`: Persian ی and ک, harakat
    removed); from the raw GeoNames alternate names only Latin-script spellings that look like
    names (start with a capital letter, only Latin letters, spaces, hyphens and apostrophes,
    not all capitals, at least 3 characters); and the {n_alias_rows} project additions of
    `aliases.csv` (spellings used in our sources that GeoNames lacks, e.g. Malekshahi, listed in
    GeoNames under its former name Arkavaz; Marlik, a district of Karaj; South Pars → Asaluyeh;
    variant spellings). Aliases are de-duplicated by a normalised key (Latin: diacritics folded,
    lower-cased, only letters and digits kept; Arabic script: ي/ى→ی, ك→ک, harakat, ZWNJ and
    spaces removed) and aliases with the same key as `name` or `name_fa` are dropped.
    Order: source order, first occurrence wins.
* **`neighbourhoods.yaml`** ({n_hood} places: {n_source} from `neighbourhoods.csv`, in its order,
  then {n_added} from `neighbourhoods_added.csv`): districts and neighbourhoods inside cities.
  `id` = `<city id>-<slug of the name>` (`tehran-district-10`; when two places of one city
  share that slug, each gets its GeoNames or Who's On First id appended), `name` = `name_en`,
  `name_fa` (a Tehran district's without the city: `منطقه ۱۰`, the full OSM name staying an
  alias), `aliases` = `alt_names`, `city` = the `cities.yaml` id of `parent_city`, `lat`/`lon`
  as in the source, `source` = where the record and its coordinates come from.
  `neighbourhoods_added.csv` (columns `name,name_fa,aliases,city,lat,lon,source`) is where a
  neighbourhood is added by hand: `city` is a city id, `source` names where the coordinates
  come from (a map with an open licence, a GeoNames id).
* **`provinces.geojson`**: `provinces_osm.geojson` with each feature's properties reduced to
  `id` (province id), `iso`, `name`, `name_fa`, and the feature `id` set to the province id.
  Geometry is unchanged: OSM provincial borders (current, with Tabas in South Khorasan), the
  coast clipped to the Natural Earth 1:10m outline of Iran, islands smaller than about 6 km²
  dropped, simplified as a coverage with a tolerance of 0.01°, coordinates WGS84 lon/lat
  rounded to 4 decimals, exterior rings counter-clockwise (RFC 7946; rewind before using with
  d3-geo).

{merges}"""


def merges_section(merges, corrections):
    """The "Merges and corrections" section of LICENSES.md."""
    lines = [
        "## Merges and corrections",
        "",
        "Made by `tools/build_gazetteer.py`: duplicates it finds (two records of one province within",
        "%d km with the same name, or listing each other's names, or one of population 0 sharing a" % DUPLICATE_KM,
        "name), and the decisions of `tools/gazetteer-sources/corrections.csv`.",
        "",
        "| merged record | into | why |",
        "|---|---|---|",
    ]
    for dropped, kept, close, why in merges:
        lines.append("| `%s` | `%s` | %s |" % (dropped, kept, why if close else "twin: " + why))
    lines += ["", "| record | correction | why |", "|---|---|---|"]
    for c in corrections:
        if c["action"] in ("keep-twin",):
            continue
        what = {
            "not-a-duplicate": "not a duplicate of `%s`",
            "population-copied": "population set to 0 (unknown); copied from `%s`",
            "name_en": "English name `%s`",
            "name_fa": "Persian name %s",
            "drop-alias": "alias `%s` removed",
        }[c["action"]] % c["value"]
        lines.append("| `%s` | %s | %s |" % (c["slug"], what, c["reason"]))
    return "\n".join(lines) + "\n"


NEIGHBOURHOODS_HEADING = "## Neighbourhoods (neighbourhoods.csv)"


def extract_neighbourhood_attribution(licenses_md):
    """The two quoted attribution sentences of the neighbourhoods section of LICENSES.md."""
    lines = licenses_md.splitlines()
    check(NEIGHBOURHOODS_HEADING in lines, "LICENSES.md has no %r section" % NEIGHBOURHOODS_HEADING)
    quotes = []
    for l in lines[lines.index(NEIGHBOURHOODS_HEADING) + 1:]:
        if l.startswith("## "):
            break
        if l.startswith(">"):
            quotes.append(l[1:].strip())
    osm = [q for q in quotes if "OpenStreetMap" in q]
    geonames = [q for q in quotes if "Who's On First" in q]
    check(len(osm) == 1 and len(geonames) == 1, "could not find the neighbourhood attribution")
    return osm[0], geonames[0]


def main(argv):
    src_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    out_dir = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    src_dir = src_dir.resolve()

    prov_rows = read_csv(src_dir / "provinces.csv")
    city_rows = read_csv(src_dir / "cities.csv")
    alias_rows = read_csv(src_dir / "aliases.csv")
    corrections = read_csv(src_dir / "corrections.csv")
    hood_rows = read_csv(src_dir / "neighbourhoods.csv")
    hood_added = read_csv(src_dir / "neighbourhoods_added.csv")
    with open(src_dir / "provinces_osm.geojson", encoding="utf-8") as f:
        geo_src = json.load(f)
    licenses_md = (src_dir / "LICENSES.md").read_text(encoding="utf-8")

    check(len(prov_rows) == EXPECTED_PROVINCES, "provinces.csv has %d rows" % len(prov_rows))
    check(len(city_rows) == EXPECTED_CITIES, "cities.csv has %d rows" % len(city_rows))
    prov_by_iso = {r["iso_3166_2"]: r for r in prov_rows}
    slug_by_iso = {iso: r["slug"] for iso, r in prov_by_iso.items()}
    check(len(prov_by_iso) == EXPECTED_PROVINCES, "duplicate province iso codes")
    check(len(set(slug_by_iso.values())) == EXPECTED_PROVINCES, "duplicate province slugs")
    city_by_gid = {r["geonameid"]: r for r in city_rows}
    check(len(city_by_gid) == len(city_rows), "duplicate geonameids in cities.csv")
    check(len({r["slug"] for r in city_rows}) == len(city_rows), "duplicate city slugs")

    aliases_by_gid = {}
    for a in alias_rows:
        c = city_by_gid.get(a["geonameid"])
        check(c is not None, "aliases.csv: unknown geonameid %s" % a["geonameid"])
        check(c["name_en"] == a["name_en"] and c["province_iso"] == a["province_iso"],
              "aliases.csv row %r does not match cities.csv" % a["alias"])
        aliases_by_gid.setdefault(a["geonameid"], []).append(a["alias"])

    fixed = [r["name_en"] for r in city_rows if r["province_source"] == "corrected"]

    prov_records = build_provinces(prov_rows, city_by_gid)
    city_records, merges = build_cities(city_rows, slug_by_iso, aliases_by_gid, corrections)
    merged = {m[0] for m in merges}
    hood_records = build_neighbourhoods(hood_rows, hood_added, city_rows, merged)

    provinces_yaml = header([
        "Iranian provinces (ostan). GENERATED by tools/build_gazetteer.py from",
        "tools/gazetteer-sources/provinces.csv: ISO 3166-2 codes and names, GeoNames",
        "(CC BY 4.0) admin1 names, Natural Earth spellings; centroid and area from",
        "OpenStreetMap (ODbL) polygons. See LICENSES.md in this directory.",
        "May be hand-curated afterwards; re-running the generator overwrites hand edits.",
    ]) + "\n" + emit_records(prov_records)
    cities_yaml = header([
        "Iranian places (GeoNames cities1000). GENERATED by tools/build_gazetteer.py from",
        "tools/gazetteer-sources/cities.csv and aliases.csv: GeoNames (CC BY 4.0),",
        "provinces checked against OpenStreetMap / Natural Earth polygons.",
        "See LICENSES.md in this directory for attribution and how the file was derived.",
        "May be hand-curated afterwards; re-running the generator overwrites hand edits.",
    ]) + "\n" + emit_records(city_records)
    neighbourhoods_yaml = header([
        "Districts and neighbourhoods inside cities. GENERATED by tools/build_gazetteer.py from",
        "tools/gazetteer-sources/neighbourhoods.csv (Tehran's districts: OpenStreetMap, ODbL;",
        "the rest: GeoNames via Who's On First, CC BY 4.0) and neighbourhoods_added.csv.",
        "To add a neighbourhood, add a row to tools/gazetteer-sources/neighbourhoods_added.csv",
        "(name, name_fa, aliases, city id, lat, lon, source of the coordinates) and run",
        "python3 tools/build_gazetteer.py. See LICENSES.md in this directory.",
    ]) + "\n" + emit_records(hood_records)
    geojson = build_geojson(geo_src, prov_by_iso)
    licenses = build_licenses(licenses_md, len(prov_records), len(city_records),
                              len(alias_rows), len(fixed), fixed,
                              {"n_source": len(hood_rows), "n_hood": len(hood_records),
                               "n_added": len(hood_added), "merges": merges,
                               "corrections": corrections})

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("provinces.yaml", provinces_yaml),
        ("cities.yaml", cities_yaml),
        ("neighbourhoods.yaml", neighbourhoods_yaml),
        ("provinces.geojson", geojson),
        ("LICENSES.md", licenses),
    ):
        check("\t" not in text or name.endswith(".geojson"), "tab in %s" % name)
        with open(out_dir / name, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote %s (%d bytes)" % (out_dir / name, len(text.encode("utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
