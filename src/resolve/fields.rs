//! From a YAML mapping to a typed [`EventFile`] without losing a single problem: unknown fields
//! are found by walking the value beside the generated JSON Schema (so "known" means exactly
//! what the schema documents), and a field of the wrong type is reported on its own while the
//! rest of the file is still checked.

use crate::diagnostic::Diagnostic;
use crate::event_file::{event_schema, EventFile};
use crate::read::yaml::child;
use crate::read::yaml::{self, Mapping, Value};
use crate::read::Document;
use serde::Deserialize as _;
use serde_json::Value as Json;
use std::collections::HashSet;

/// What read made of an event file: the typed event (the fast path, nothing to report here),
/// or the YAML value, to be checked field by field. (Moved once per file, never stored: its
/// size does not matter, and boxing the event would cost an allocation per file.)
#[allow(clippy::large_enum_variant)]
pub enum Parsed {
    Event(EventFile),
    Value(Value),
}

/// Turns the document into an [`EventFile`], reporting unknown and ill-typed fields. Also
/// returns the paths already reported, so later rules do not call them "missing" as well.
pub fn event_file(
    doc: &Document,
    parsed: Parsed,
    problems: &mut Vec<Diagnostic>,
) -> Option<(EventFile, HashSet<String>)> {
    let mut value = match parsed {
        Parsed::Event(file) => return Some((file, HashSet::new())),
        Parsed::Value(value) => value,
    };
    if !value.is_mapping() {
        problems.push(
            Diagnostic::error(&doc.path, doc.spans().value(""), format!("expected the fields of one event (`title:`, `date:`, …), found {}", describe(&value)))
                .with_hint("an event file is a single mapping: one `field: value` per line, with no leading `- `"),
        );
        return None;
    }
    let schema = event_schema();
    remove_unknown_fields(doc, &mut value, schema, schema, "", problems);
    let Value::Mapping(map) = value else {
        unreachable!("checked above")
    };
    let mut reported = HashSet::new();
    let file = deserialize_leniently(doc, map, &mut reported, problems);
    Some((file, reported))
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a line of text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Follows `$ref`s into the schema's definitions.
fn deref<'a>(root: &'a Json, mut schema: &'a Json) -> &'a Json {
    for _ in 0..8 {
        let Some(reference) = schema.get("$ref").and_then(Json::as_str) else {
            break;
        };
        let name = reference.rsplit('/').next().unwrap_or_default();
        match root.get("definitions").and_then(|d| d.get(name)) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

fn remove_unknown_fields(
    doc: &Document,
    value: &mut Value,
    root: &Json,
    schema: &Json,
    path: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let schema = deref(root, schema);
    match value {
        Value::Mapping(map) => {
            if let Some(properties) = schema.get("properties").and_then(Json::as_object) {
                let mut unknown = Vec::new();
                for (key, child_value) in map.iter_mut() {
                    let name = key_name(key);
                    match properties.get(&name) {
                        Some(field_schema) => remove_unknown_fields(
                            doc,
                            child_value,
                            root,
                            field_schema,
                            &child(path, &name),
                            problems,
                        ),
                        None => unknown.push((key.clone(), name)),
                    }
                }
                for (key, name) in unknown {
                    map.remove(&key);
                    problems.push(unknown_field(
                        doc,
                        path,
                        &name,
                        properties.keys().map(String::as_str),
                    ));
                }
            } else if let Some(values) =
                schema.get("additionalProperties").filter(|s| s.is_object())
            {
                for (key, child_value) in map.iter_mut() {
                    let name = key_name(key);
                    remove_unknown_fields(
                        doc,
                        child_value,
                        root,
                        values,
                        &child(path, &name),
                        problems,
                    );
                }
            }
        }
        Value::Sequence(items) => {
            if let Some(item_schema) = schema.get("items").filter(|s| s.is_object()) {
                for (i, item) in items.iter_mut().enumerate() {
                    remove_unknown_fields(doc, item, root, item_schema, &child(path, i), problems);
                }
            }
        }
        _ => {}
    }
}

fn key_name(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => yaml::to_yaml(other).unwrap_or_default().trim().to_string(),
    }
}

fn unknown_field<'a>(
    doc: &Document,
    path: &str,
    name: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let at = doc.spans().key(&child(path, name));
    let where_ = if path.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", path.replace('/', "."))
    };
    let nearest = known
        .clone()
        .map(|k| (strsim::damerau_levenshtein(&name.to_lowercase(), k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    let hint = match nearest {
        Some((_, k)) => format!("did you mean `{k}`?"),
        None => format!(
            "known fields here: {}",
            known.collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::error(
        &doc.path,
        at,
        format!("unknown field `{name}`{where_}: it would be ignored"),
    )
    .with_hint(hint)
}

/// Deserialises the whole mapping; when that fails, finds each failing field (inside lists
/// and maps of records too) by deserialising it alone, reports it, and keeps the rest.
fn deserialize_leniently(
    doc: &Document,
    map: Mapping,
    reported: &mut HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> EventFile {
    // Most files that reach this point are fine: try the whole mapping without copying it.
    let whole = Value::Mapping(map);
    if let Ok(file) = EventFile::deserialize(&whole) {
        return file;
    }
    let Value::Mapping(map) = whole else {
        unreachable!("built above")
    };
    let mut good = Mapping::new();
    for (key, value) in map {
        let name = key_name(&key);
        let value = match value {
            // A list of records (`sources`, `figures`): drop bad fields, keep good ones.
            Value::Sequence(items) => Value::Sequence(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        clean_record(doc, item, &child(&name, i), reported, problems, |record| {
                            Mapping::from_iter([(key.clone(), Value::Sequence(vec![record]))])
                        })
                    })
                    .collect(),
            ),
            // A map of records (`translations`).
            Value::Mapping(entries) if name == "translations" => Value::Mapping(
                entries
                    .into_iter()
                    .map(|(k, item)| {
                        let path = child(&name, key_name(&k));
                        let item = clean_record(doc, item, &path, reported, problems, |record| {
                            Mapping::from_iter([(
                                key.clone(),
                                Value::Mapping(Mapping::from_iter([(k.clone(), record)])),
                            )])
                        });
                        (k, item)
                    })
                    .collect(),
            ),
            other => other,
        };
        match try_alone(Mapping::from_iter([(key.clone(), value.clone())])) {
            Ok(()) => {
                good.insert(key, value);
            }
            Err(message) => {
                problems.push(type_error(doc, &name, &value, &message));
                reported.insert(name);
            }
        }
    }
    yaml::from_value(Value::Mapping(good)).unwrap_or_default()
}

fn try_alone(map: Mapping) -> Result<(), String> {
    yaml::from_value::<EventFile>(Value::Mapping(map))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Removes the fields of one record that fail on their own, reporting each at its value.
/// `wrap` places a record where it belongs in an event, so each field is tested in context.
fn clean_record(
    doc: &Document,
    item: Value,
    path: &str,
    reported: &mut HashSet<String>,
    problems: &mut Vec<Diagnostic>,
    wrap: impl Fn(Value) -> Mapping,
) -> Value {
    let Value::Mapping(fields) = item else {
        return item;
    };
    let mut kept = Mapping::new();
    for (k, v) in fields {
        let single = Value::Mapping(Mapping::from_iter([(k.clone(), v.clone())]));
        match try_alone(wrap(single)) {
            Ok(()) => {
                kept.insert(k, v);
            }
            Err(message) => {
                let field = child(path, key_name(&k));
                problems.push(type_error(doc, &field, &v, &message));
                reported.insert(field);
            }
        }
    }
    Value::Mapping(kept)
}

fn type_error(doc: &Document, path: &str, value: &Value, message: &str) -> Diagnostic {
    let field = path.rsplit('/').next().unwrap_or(path);
    // The YAML library prefixes the nested path it failed at ("sources[0]: …"); the path is known here.
    let detail = match message.split_once(": ") {
        Some((prefix, rest)) if !prefix.contains(' ') => rest,
        _ => message,
    };
    let hint = if ["date", "end", "published", "updated"].contains(&field) {
        format!("`{field}` must be YYYY-MM-DD, e.g. 2026-01-03")
    } else if detail.contains("expected a sequence") {
        format!("`{field}` takes a list: `{field}: [a, b]`, or one `- item` per line")
    } else if detail.contains("unknown variant") {
        "use one of the values listed".to_string()
    } else if let Some(n) = (value.as_str())
        .map(crate::calendar::ascii_digits)
        .filter(|latin| value.as_str() != Some(latin) && latin.parse::<u64>().is_ok())
    {
        format!("write the number in Latin digits: `{field}: {n}`")
    } else if detail.contains("expected u64")
        || detail.contains("integer") && detail.contains("expected") && value.is_string()
    {
        "write a whole number without quotes or separators: 1200".to_string()
    } else if value.is_mapping() || value.is_sequence() {
        format!("`{field}` has the wrong shape; compare with an existing event file")
    } else {
        format!("check the value of `{field}`")
    };
    Diagnostic::error(
        &doc.path,
        doc.spans().value(path),
        format!("`{}`: {detail}", path.replace('/', ".")),
    )
    .with_hint(hint)
}
