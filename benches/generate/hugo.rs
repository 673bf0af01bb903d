//! The Hugo twin of a synthetic site: the same N events as [`super::event`] (same titles,
//! dates, places, kinds, tags and summaries, one source link each) as a Hugo site, so the
//! benchmark can build both side by side (`benches/build.rs`, when a `hugo` binary is found).
//!
//! The twin is deliberately small: one page per event (`events/<id>/index.html`), a list page
//! per city and per day (Hugo taxonomies `cities` and `days`, 100 events a page), the two
//! taxonomy indexes and a home page, in English only (ruzshomar also writes a Persian edition,
//! province, kind, tag, publisher, period and year pages, maps, feeds and data exports, so the
//! twin does less work than the site it is compared with). Its layouts are its own, in
//! `layouts/` (Hugo ≥ 0.146's template names), and use no theme, module or asset pipeline.
//!
//! Each event is read back from the YAML the ruzshomar generator writes for it, so the two
//! sites cannot drift apart.

use super::{event, q, Refs};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// What the twin takes from a generated event file.
#[derive(Deserialize)]
struct Parsed {
    title: String,
    date: String,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    cities: Vec<String>,
    #[serde(default)]
    provinces: Vec<String>,
    kind: String,
    #[serde(default)]
    tags: Vec<String>,
    summary: String,
    sources: Vec<Source>,
}

#[derive(Deserialize)]
struct Source {
    url: String,
}

/// The site configuration (`hugo.yaml`). Future dates are built (the synthetic events run into
/// the months ahead), sections, feeds, the sitemap and robots.txt are not (the twin is the
/// event pages and the two lists).
pub const CONFIG: &str = r#"baseURL: https://example.org/ruzshomar/
languageCode: en
title: "Ruzshomar: a sourced chronology of protest in Iran (Hugo twin)"
buildFuture: true
disableKinds: [section, rss, sitemap, robotstxt]
taxonomies:
  city: cities
  day: days
pagination:
  pagerSize: 100
markup:
  goldmark:
    renderer:
      unsafe: false
"#;

/// The twin's layouts and style sheet, by path under the site root.
pub const FILES: &[(&str, &str)] = &[
    (
        "layouts/baseof.html",
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><a href="{{ "cities/" | relURL }}">Cities</a> <a href="{{ "days/" | relURL }}">Days</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>Every entry cites its source.</p></footer>
</body>
</html>
"#,
    ),
    (
        "layouts/page.html",
        r#"{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
· {{ .Params.city }}{{ with .Params.province }} ({{ . }}){{ end }} · {{ .Params.kind }}</p>
<p class="terms">{{ range .GetTerms "cities" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ range .GetTerms "days" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
<p class="tags">{{ range .Params.tags }}<span>{{ . }}</span> {{ end }}</p>
<h2>Source</h2>
<p><a href="{{ .Params.source }}" rel="noopener">{{ .Params.source }}</a></p>
</article>{{ end }}
"#,
    ),
    (
        "layouts/term.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages.ByDate }}<ol>
{{ range $pager.Pages }}<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ .Params.city }}</li>
{{ end }}</ol>
<nav class="pages">{{ with $pager.Prev }}<a href="{{ .URL }}">previous</a>{{ end }}
page {{ $pager.PageNumber }} of {{ $pager.TotalPages }}
{{ with $pager.Next }}<a href="{{ .URL }}">next</a>{{ end }}</nav>{{ end }}
"#,
    ),
    (
        "layouts/taxonomy.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "layouts/home.html",
        r#"{{ define "main" }}<h1>{{ site.Title }}</h1>
<p>{{ len site.RegularPages }} events.</p>
<ol>{{ range first 50 site.RegularPages.ByDate.Reverse }}<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ .Params.city }}</li>
{{ end }}</ol>{{ end }}
"#,
    ),
    (
        "static/style.css",
        "body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem}\n\
         header nav a{margin-inline-end:1rem}.meta,time{color:#555}ol{padding-inline-start:1.2rem}\n",
    ),
];

/// The Hugo front matter and body of event `i` (`content/events/<id>.md`): its path and text.
pub fn hugo_event(i: usize, r: &Refs, places: &Places) -> (String, String) {
    let (path, yaml) = event(i, r);
    let e: Parsed = serde_yaml::from_str(&yaml)
        .unwrap_or_else(|err| panic!("generated event {i} ({path}): {err}"));
    let id = Path::new(&path)
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("an event file name")
        .to_string();
    let cities: Vec<&str> = e.city.iter().chain(&e.cities).map(String::as_str).collect();
    let city_name =
        |c: &str| (places.cities.get(c)).map_or_else(|| c.to_string(), |(name, _)| name.clone());
    let province_name =
        |p: &str| (places.provinces.get(p)).map_or_else(|| p.to_string(), String::clone);
    // The place as the title says it: a city, the first two of several, or the provinces.
    let place = match cities.as_slice() {
        [] if e.provinces.is_empty() => "Iran (nationwide)".to_string(),
        [] => (e.provinces.iter())
            .map(|p| province_name(p))
            .collect::<Vec<_>>()
            .join(" and "),
        [one] => city_name(one),
        [a, b, rest @ ..] => format!(
            "{}, {} and {} other cities",
            city_name(a),
            city_name(b),
            rest.len()
        ),
    };
    let province = match cities.first() {
        Some(c) => places.cities.get(*c).map(|(_, p)| province_name(p)),
        None => e.provinces.first().map(|p| province_name(p)),
    };
    let list = |items: &[&str]| items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ");
    let mut out = String::with_capacity(1024);
    out.push_str("---\n");
    let _ = writeln!(out, "title: {}", q(&e.title));
    let _ = writeln!(out, "date: {}", e.date);
    let _ = writeln!(out, "city: {}", q(&place));
    if let Some(province) = province {
        let _ = writeln!(out, "province: {}", q(&province));
    }
    let _ = writeln!(out, "kind: {}", q(&e.kind));
    let tags: Vec<&str> = e.tags.iter().map(String::as_str).collect();
    let _ = writeln!(out, "tags: [{}]", list(&tags));
    let _ = writeln!(out, "source: {}", q(&e.sources[0].url));
    let _ = writeln!(out, "cities: [{}]", list(&cities));
    let _ = writeln!(out, "days: [{}]", q(&e.date));
    out.push_str("---\n");
    out.push_str(&e.summary);
    (format!("content/events/{id}.md"), out)
}

/// City ids to (name, province id), province ids to names.
pub struct Places {
    cities: HashMap<String, (String, String)>,
    provinces: HashMap<String, String>,
}

impl Places {
    pub fn new(r: &Refs) -> Places {
        Places {
            cities: (r.cities.iter())
                .map(|c| {
                    let province = c.province.clone().unwrap_or_default();
                    (c.id.clone(), (c.name.clone(), province))
                })
                .collect(),
            provinces: (r.provinces.iter())
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect(),
        }
    }
}

/// Writes the Hugo twin of the `n`-event synthetic site into `root`.
pub fn write_hugo_site(root: &Path, n: usize, refs: &Refs) {
    std::fs::write(root.join("hugo.yaml"), CONFIG).unwrap();
    for (path, text) in FILES {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    std::fs::create_dir_all(root.join("content/events")).unwrap();
    let places = Places::new(refs);
    for i in 0..n {
        let (path, text) = hugo_event(i, refs, &places);
        std::fs::write(root.join(path), text).unwrap();
    }
}

/// The Hugo twin in a new temporary folder under `parent` (the system's when `None`).
pub fn generate_hugo(n: usize, refs: &Refs, parent: Option<&Path>) -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("ruzshomar-hugo-twin-");
    let dir = match parent {
        Some(parent) => builder.tempdir_in(parent),
        None => builder.tempdir(),
    }
    .unwrap();
    write_hugo_site(dir.path(), n, refs);
    dir
}
