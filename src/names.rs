//! How place names are compared. Contributors write "Shahr-e Kord", "shahrekord", "شهرکرد" or
//! "شهر کرد"; all must find the same city. Matching keys fold case, diacritics, punctuation,
//! Arabic letter forms and zero-width joiners; the looser "skeleton" also folds common
//! transliteration variants (Ghezel/Qezel, Firoozabad/Firuzabad) and is used only to suggest.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The exact-match key of a name, in Latin or Persian script.
pub fn match_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.nfkd() {
        if is_combining_mark(c) || is_arabic_diacritic(c) {
            continue;
        }
        let c = match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            'أ' | 'إ' | 'ٱ' => 'ا',
            other => other,
        };
        if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
        }
    }
    key
}

fn is_arabic_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// A looser key for "did you mean": spellings that differ only by a common transliteration
/// choice share a skeleton.
pub fn skeleton(name: &str) -> String {
    let key = match_key(name);
    if !key.is_ascii() {
        return key;
    }
    const VARIANTS: &[(&str, &str)] = &[
        ("gh", "q"),
        ("kh", "x"),
        ("ch", "c"),
        ("sh", "s"),
        ("zh", "j"),
        ("oo", "u"),
        ("ou", "u"),
        ("ee", "i"),
        ("ey", "i"),
        ("w", "v"),
        ("o", "u"),
        ("e", "a"),
        ("y", "i"),
    ];
    let mut s = key;
    for (from, to) in VARIANTS {
        s = s.replace(from, to);
    }
    // Doubled letters are a transliteration choice too (Assaluyeh/Asaluyeh).
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// A Latin slug for file names and ids: lower-case ASCII words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') && !matches!(c, '\'' | '’' | '‘') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Whether `s` is a slug: lower-case ASCII letters and digits in `-`-separated words.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Whether `s` is an event id: `YYYY-MM-DD-words`, a file stem that is also a safe path segment.
pub fn is_event_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && b[10] == b'-'
        && is_slug(&s[11..])
}

/// Whether `s` is a language code as site.toml and `translations` use them: `fa`, `en`,
/// `ckb`, `pt-br` (lower-case letters, an optional region).
pub fn is_language_code(s: &str) -> bool {
    let (language, region) = s.split_once('-').unwrap_or((s, ""));
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && (region.is_empty() && !s.ends_with('-')
            || (2..=8).contains(&region.len())
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The candidates closest to `input` by edit distance between skeletons, best first.
pub fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let target = skeleton(input);
    let length = target.chars().count();
    let budget = (length / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let candidate = skeleton(c);
            // The distance is at least the difference in length: a pasted paragraph is not
            // compared with every name, in time that grows with its length times theirs.
            if candidate.chars().count().abs_diff(length) > budget {
                return None;
            }
            let d = strsim::osa_distance(&target, &candidate);
            (d <= budget).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    // Only the nearest spellings: a hint with a far-fetched alternative misleads.
    let best = scored.first().map(|(d, _)| *d).unwrap_or(0);
    scored
        .into_iter()
        .take_while(|(d, _)| *d == best)
        .take(limit)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_keys_fold_spelling_differences_that_mean_the_same_name() {
        assert_eq!(match_key("Shahr-e Kord"), match_key("Shahrekord"));
        assert_eq!(match_key("Orūmīyeh"), "orumiyeh");
        assert_eq!(match_key("خرم‌آباد"), match_key("خرم آباد"));
        assert_eq!(match_key("كرمانشاه"), match_key("کرمانشاه"));
        assert_eq!(match_key("ملكشاهي"), match_key("ملکشاهی"));
    }

    #[test]
    fn skeletons_join_transliteration_variants() {
        assert_eq!(skeleton("Ghezel Hesar"), skeleton("Qezel Hesar"));
        assert_eq!(skeleton("Firoozabad"), skeleton("Firuzabad"));
        assert_eq!(skeleton("Assaluyeh"), skeleton("Asaluyeh"));
        assert_ne!(skeleton("Tehran"), skeleton("Tabriz"));
    }

    #[test]
    fn slugs_are_lower_case_ascii_words() {
        assert_eq!(
            slugify("Security forces open fire in Malekshahi!"),
            "security-forces-open-fire-in-malekshahi"
        );
        assert_eq!(slugify("Kian’s funeral"), "kians-funeral");
        assert_eq!(slugify("تهران"), "");
        assert!(is_slug("live-fire"));
        assert!(!is_slug("Live fire"));
        assert!(!is_slug("live--fire"));
    }

    #[test]
    fn ids_and_language_codes_are_safe_path_segments() {
        assert!(is_event_id("2026-01-03-malekshahi-live-fire"));
        for bad in [
            "..",
            "../map",
            "../../../../tmp/x",
            "2026-01-03",
            "2026-01-03-",
            "2026-01-03-a/b",
            "2026-1-03-x",
        ] {
            assert!(!is_event_id(bad), "{bad}");
        }
        for good in ["fa", "en", "ckb", "pt-br"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["../../x", "", "f", "EN", "fa-", "fa/x", "persian"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }
}
